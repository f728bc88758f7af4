package platform

import (
	"context"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

type namedProvider struct{ name string }

func (p namedProvider) Name() string { return p.name }
func (namedProvider) Plan(context.Context, json.RawMessage) (*Part, error) {
	return &Part{}, nil
}

// withFactories runs f with only fs registered.
func withFactories(t *testing.T, fs ...Factory) {
	t.Helper()
	saved := factories
	factories = map[string]Factory{}
	t.Cleanup(func() { factories = saved })
	for _, f := range fs {
		RegisterProvider(f)
	}
}

func build(name string) func(*machine.Machine, *Config) (Provider, error) {
	return func(*machine.Machine, *Config) (Provider, error) { return namedProvider{name}, nil }
}

// TestFactoriesOrder: providers come in rank order, then by name; an OS
// limit keeps a provider off the other platform; only those with records
// take part in a rollback.
func TestFactoriesOrder(t *testing.T) {
	withFactories(t,
		Factory{Name: "z", Rank: 10, FromConfig: build("z"), FromRecords: func(*machine.Machine, json.RawMessage) (Provider, error) { return namedProvider{"z"}, nil }},
		Factory{Name: "b", Rank: 50, FromConfig: build("b")},
		Factory{Name: "a", Rank: 50, FromConfig: build("a"), Plists: []string{"a.plist"}},
		Factory{Name: "mac", Rank: 20, OS: "darwin", FromConfig: build("mac"), Plists: []string{"mac.plist"}},
	)
	names := func(ps []Provider) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Name())
		}
		return strings.Join(s, " ")
	}
	for _, tt := range []struct{ os, config, records, plists string }{
		{"linux", "z a b", "z", "a.plist"},
		{"darwin", "z mac a b", "z", "mac.plist a.plist"},
	} {
		m := &machine.Machine{OS: tt.os}
		ps, err := ConfigProviders(m, &Config{})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(ps); got != tt.config {
			t.Errorf("%s: config providers %q, want %q", tt.os, got, tt.config)
		}
		rs, err := RecordProviders(m, 3, Applied{})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(rs); got != tt.records {
			t.Errorf("%s: record providers %q, want %q", tt.os, got, tt.records)
		}
		if got := strings.Join(PlistOptions(tt.os), " "); got != tt.plists {
			t.Errorf("%s: plist options %q, want %q", tt.os, got, tt.plists)
		}
	}
}

// TestRegisterRefuses: a name registered twice, or a factory that cannot
// build from the configuration, is a programming error.
func TestRegisterRefuses(t *testing.T) {
	for _, tt := range []struct {
		name string
		fs   []Factory
	}{
		{"twice", []Factory{{Name: "x", FromConfig: build("x")}, {Name: "x", FromConfig: build("x")}}},
		{"no name", []Factory{{FromConfig: build("x")}}},
		{"no FromConfig", []Factory{{Name: "x"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			withFactories(t, tt.fs...)
		})
	}
}

// TestRecordProvidersWrap: records that do not decode name the
// generation.
func TestRecordProvidersWrap(t *testing.T) {
	type recs struct{ N int }
	withFactories(t)
	Register(Kind[struct{}, recs]{Name: "k", Rank: 1,
		Config:  func([]byte) (*struct{}, error) { return &struct{}{}, nil },
		Records: func(d json.RawMessage) (*recs, error) { return DecodeRecords[recs]("k", d) },
		New:     func(*machine.Machine, *struct{}, *recs) Provider { return namedProvider{"k"} },
	})
	_, err := RecordProviders(&machine.Machine{OS: "linux"}, 7, Applied{"k": json.RawMessage(`{"N": "x"}`)})
	if err == nil || !strings.HasPrefix(err.Error(), "generation 7: k records: ") {
		t.Errorf("err = %v, want it to name generation 7 and the k records", err)
	}
}

// TestFactsFlow: a provider that reads facts gets those of the providers
// before it, and only those.
func TestFactsFlow(t *testing.T) {
	var seen []map[string]bool
	reader := factsReader{name: "files", got: &seen}
	_, err := MakePlan(context.Background(), nil,
		reader,
		factsGiver{"users", Facts{NewHomes: map[string]bool{"bob": true}}},
		reader,
		factsGiver{"more", Facts{NewHomes: map[string]bool{"carol": true}}},
		reader)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", "bob", "bob carol"}
	for i, s := range seen {
		var ks []string
		for _, k := range []string{"bob", "carol"} {
			if s[k] {
				ks = append(ks, k)
			}
		}
		if got := strings.Join(ks, " "); got != want[i] {
			t.Errorf("reader %d saw %q, want %q", i, got, want[i])
		}
	}
	if len(seen) != 3 {
		t.Errorf("%d readers planned, want 3", len(seen))
	}
}

type factsGiver struct {
	name  string
	facts Facts
}

func (g factsGiver) Name() string { return g.name }
func (g factsGiver) Plan(context.Context, json.RawMessage) (*Part, error) {
	return &Part{Facts: &g.facts}, nil
}

type factsReader struct {
	name string
	got  *[]map[string]bool
}

func (r factsReader) Name() string { return r.name }
func (r factsReader) Plan(context.Context, json.RawMessage) (*Part, error) {
	panic("a FactsReader is planned with PlanWith")
}
func (r factsReader) PlanWith(_ context.Context, _ json.RawMessage, f Facts) (*Part, error) {
	*r.got = append(*r.got, f.NewHomes)
	return &Part{}, nil
}

// TestValidate: platform.Validate runs the Validate of each provider of
// the platform, in plan order, and joins what they refuse; a Kind's
// Validate decodes its configuration first (a value its decoding
// refuses is refused there) and then checks it with Kind.Validate.
func TestValidate(t *testing.T) {
	type cfg struct{ V int }
	refuse := func(name string) func(context.Context, system.System, string, *Config) error {
		return func(context.Context, system.System, string, *Config) error {
			return &ConfigError{Option: name, Msg: "refused"}
		}
	}
	withFactories(t,
		Factory{Name: "b", Rank: 50, FromConfig: build("b"), Validate: refuse("b")},
		Factory{Name: "a", Rank: 10, FromConfig: build("a"), Validate: refuse("a")},
		Factory{Name: "none", Rank: 20, FromConfig: build("none")},
		Factory{Name: "mac", Rank: 30, OS: "darwin", FromConfig: build("mac"), Validate: refuse("mac")},
	)
	Register(Kind[cfg, struct{}]{Name: "kind", Rank: 40,
		Config: func(js []byte) (*cfg, error) {
			c := &cfg{}
			if err := DecodeConfig(js, c); err != nil {
				return nil, err
			}
			if c.V < 0 {
				return nil, &ConfigError{Option: "v", Msg: "negative"}
			}
			return c, nil
		},
		Validate: func(c *cfg, os string) error {
			if c.V > 10 {
				return &ConfigError{Option: "v", Msg: "too large on " + os}
			}
			return nil
		},
		New: func(*machine.Machine, *cfg, *struct{}) Provider { return namedProvider{"kind"} },
	})
	for _, tt := range []struct {
		os, js, want string
	}{
		{"linux", `{"V": 1}`, "a: refused\nb: refused"},
		{"darwin", `{"V": 1}`, "a: refused\nmac: refused\nb: refused"},
		{"linux", `{"V": -1}`, "a: refused\nv: negative\nb: refused"},
		{"linux", `{"V": 11}`, "a: refused\nv: too large on linux\nb: refused"},
	} {
		err := Validate(t.Context(), nil, tt.os, &Config{JSON: []byte(tt.js)})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s %s: %v, want\n%s", tt.os, tt.js, err, tt.want)
		}
	}
}
