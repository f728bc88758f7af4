package platform

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// A Factory builds one provider, either from the evaluated configuration
// (plan, switch) or from what a generation recorded for it (rollback,
// status). Each provider package registers one from init with
// RegisterProvider; cmd/gocfg imports the package and asks Providers.
type Factory struct {
	// Name keys the provider's records in resources.json; it is the
	// provider's Name.
	Name string
	// Rank orders the providers in a plan (lowest first): a provider
	// whose Facts others read ranks before them. The built-in ranks are
	// listed in docs/architecture.md.
	Rank int
	// OS limits the provider to one platform ("darwin"); "" is every
	// platform.
	OS string
	// Plists names the options whose values the provider takes as Go
	// plist values (Config.Plists) rather than JSON.
	Plists []string
	// FromConfig builds the provider that makes the machine what cfg
	// says.
	FromConfig func(m *machine.Machine, cfg *Config) (Provider, error)
	// FromRecords builds the provider that makes the machine what a
	// generation recorded (data: its records, nil when it has none).
	// Nil: the provider keeps no records and takes no part in a rollback.
	FromRecords func(m *machine.Machine, data json.RawMessage) (Provider, error)
	// Validate, when set, checks cfg for platform os without the
	// machine: what the provider refuses whatever the machine holds (a
	// name, a mode, a value systemd cannot read), for gocfg check, as
	// Terraform's validate asks each provider to validate its
	// configuration. sys only reads (a program of this host that parses
	// a value). Its errors are ConfigErrors, every one it finds; the plan
	// finds each of them again, and those that depend on the machine.
	Validate func(ctx context.Context, sys system.System, os string, cfg *Config) error
}

// A Config is the evaluated configuration as providers read it.
type Config struct {
	// JSON is the evaluated configuration (as gocfg eval --json prints
	// it); each provider decodes the options it reads.
	JSON []byte
	// Plists holds, typed as Go plist values, the options whose values
	// become plists (plain JSON would lose <real> against <integer>,
	// dates and data).
	Plists map[string]any
}

// Decode reads the configuration's JSON into v (a struct that names the
// options one provider reads).
func (c *Config) Decode(v any) error { return DecodeConfig(c.JSON, v) }

// DecodeConfig reads the evaluated configuration as plain JSON (`gocfg
// eval --json`) into v, a struct that names the options one provider
// reads.
func DecodeConfig(js []byte, v any) error {
	if err := json.Unmarshal(js, v); err != nil {
		return fmt.Errorf("read the evaluated configuration: %w", err)
	}
	return nil
}

// ConfigAt reads the options under path ("networking", "macos.keyboard")
// of the evaluated configuration as plain JSON into a new C: the
// ConfigFromJSON of a provider whose options are one part of the tree.
// An absent or null part is C's zero value.
func ConfigAt[C any](js []byte, path string) (*C, error) {
	c, part := new(C), js
	for _, key := range strings.Split(path, ".") {
		var doc map[string]json.RawMessage
		if err := DecodeConfig(part, &doc); err != nil {
			return nil, err
		}
		if part = doc[key]; part == nil {
			return c, nil
		}
	}
	if err := DecodeConfig(part, c); err != nil {
		return nil, err
	}
	return c, nil
}

// PrimaryUser is macos.primary_user ("" when unset), which several
// providers read.
func (c *Config) PrimaryUser() (string, error) {
	var doc struct {
		Macos struct {
			PrimaryUser *string `json:"primary_user"`
		} `json:"macos"`
	}
	if err := c.Decode(&doc); err != nil {
		return "", err
	}
	if doc.Macos.PrimaryUser == nil {
		return "", nil
	}
	return *doc.Macos.PrimaryUser, nil
}

var factories = map[string]Factory{}

// RegisterProvider adds a provider kind. It panics on a second
// registration of a name or a factory without FromConfig: both are
// programming errors found by any test.
func RegisterProvider(f Factory) {
	if f.Name == "" || f.FromConfig == nil {
		panic("platform: RegisterProvider needs a Name and FromConfig")
	}
	if _, dup := factories[f.Name]; dup {
		panic("platform: provider " + f.Name + " registered twice")
	}
	factories[f.Name] = f
}

// Factories are the registered provider kinds for os, in plan order.
func Factories(os string) []Factory {
	var fs []Factory
	for _, f := range factories {
		if f.OS == "" || f.OS == os {
			fs = append(fs, f)
		}
	}
	slices.SortFunc(fs, func(a, b Factory) int {
		return cmp.Or(cmp.Compare(a.Rank, b.Rank), strings.Compare(a.Name, b.Name))
	})
	return fs
}

// PlistOptions are the options some registered provider for os takes as
// plist values (Factory.Plists), in plan order.
func PlistOptions(os string) []string {
	var out []string
	for _, f := range Factories(os) {
		out = append(out, f.Plists...)
	}
	return out
}

// Validate runs the Validate of every registered provider for os on cfg
// and returns the errors of all of them (JoinErrors), in plan order.
func Validate(ctx context.Context, sys system.System, os string, cfg *Config) error {
	var errs []error
	for _, f := range Factories(os) {
		if f.Validate == nil {
			continue
		}
		if err := f.Validate(ctx, sys, os, cfg); err != nil {
			errs = append(errs, err)
		}
	}
	return JoinErrors(errs)
}

// ConfigProviders builds every registered provider for m.OS from the
// configuration, in plan order.
func ConfigProviders(m *machine.Machine, cfg *Config) ([]Provider, error) {
	var ps []Provider
	for _, f := range Factories(m.OS) {
		p, err := f.FromConfig(m, cfg)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// UnknownRecords lists, sorted, the providers of a generation's records
// that no registered provider is (for any OS): a newer gocfg's, whose
// records this one would drop from the next generation, leaving what
// they manage unmanaged for good (tester BF).
func UnknownRecords(a Applied) []string {
	var unknown []string
	for name := range a {
		if _, ok := factories[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	return unknown
}

// RecordProviders builds every registered provider for m.OS that keeps
// records from what generation n recorded, in plan order.
func RecordProviders(m *machine.Machine, n int, recorded Applied) ([]Provider, error) {
	var ps []Provider
	for _, f := range Factories(m.OS) {
		if f.FromRecords == nil {
			continue
		}
		p, err := f.FromRecords(m, recorded[f.Name])
		if err != nil {
			return nil, fmt.Errorf("generation %d: %w", n, err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// A Kind describes a provider whose desired state is one config type C,
// decoded from the configuration, or one records type R, decoded from a
// generation: most providers. Register turns it into a Factory; a
// provider that needs more (several options, plists) registers a Factory
// of its own.
type Kind[C, R any] struct {
	Name string
	Rank int
	OS   string
	// Config picks the provider's options out of the configuration's
	// JSON (the provider's ConfigFromJSON).
	Config func(js []byte) (*C, error)
	// FromConfig, set instead of Config, reads them from the whole
	// configuration: for a provider that takes plist values (Plists) or
	// reads options beside its own (Config.PrimaryUser).
	FromConfig func(cfg *Config) (*C, error)
	// Plists are the options whose values the provider takes as plists
	// (Factory.Plists).
	Plists []string
	// Records decodes what a generation recorded (the provider's
	// DecodeRecords).
	Records func(data json.RawMessage) (*R, error)
	// Validate, when set, checks the decoded configuration for platform
	// os as Factory.Validate does (decoding it is checked in any case:
	// a provider whose decoding refuses a value refuses it there).
	Validate func(c *C, os string) error
	// New builds the provider from one of c (from the configuration) or
	// r (from a generation); the other is nil. For a provider type
	// declared on Base it is platform.New[Provider].
	New func(m *machine.Machine, c *C, r *R) Provider
}

// Register registers k as a provider kind (see RegisterProvider).
func Register[C, R any](k Kind[C, R]) {
	fromConfig := k.FromConfig
	if fromConfig == nil {
		fromConfig = func(cfg *Config) (*C, error) { return k.Config(cfg.JSON) }
	}
	RegisterProvider(Factory{
		Name: k.Name, Rank: k.Rank, OS: k.OS, Plists: k.Plists,
		FromConfig: func(m *machine.Machine, cfg *Config) (Provider, error) {
			c, err := fromConfig(cfg)
			if err != nil {
				return nil, err
			}
			return k.New(m, c, nil), nil
		},
		FromRecords: FromRecords(k.Records, func(m *machine.Machine, r *R) Provider { return k.New(m, nil, r) }),
		Validate: func(_ context.Context, _ system.System, os string, cfg *Config) error {
			c, err := fromConfig(cfg)
			if err != nil || k.Validate == nil {
				return err
			}
			return k.Validate(c, os)
		},
	})
}

// FromRecords is a Factory.FromRecords that decodes a generation's
// records with decode (the provider's DecodeRecords) and builds the
// provider from them with build.
func FromRecords[R any](decode func(json.RawMessage) (*R, error), build func(m *machine.Machine, r *R) Provider) func(*machine.Machine, json.RawMessage) (Provider, error) {
	return func(m *machine.Machine, data json.RawMessage) (Provider, error) {
		r, err := decode(data)
		if err != nil {
			return nil, err
		}
		return build(m, r), nil
	}
}
