package touchid

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sync"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// Config is what the checks read of the configuration.
type Config struct {
	TouchIDSudo  bool   `json:"touch_id_sudo"`
	Reattach     bool   `json:"touch_id_sudo_reattach"`
	ReattachPath string `json:"touch_id_sudo_reattach_path"`
	// Packages are environment.system_packages.
	Packages []string `json:"-"`
}

// ConfigFromJSON reads the options from the evaluated configuration as
// plain JSON.
func ConfigFromJSON(js []byte) (*Config, error) {
	var doc struct {
		Macos       Config `json:"macos"`
		Environment struct {
			SystemPackages []string `json:"system_packages"`
		} `json:"environment"`
	}
	if err := platform.DecodeConfig(js, &doc); err != nil {
		return nil, err
	}
	doc.Macos.Packages = doc.Environment.SystemPackages
	return &doc.Macos, nil
}

// A Provider warns about a Touch ID set-up that would not work.
type Provider struct {
	// Machine is the machine planned for; only its Reader is used.
	Machine *machine.Machine
	Config  *Config
}

var _ platform.Provider = (*Provider)(nil)

// Name keys the (empty) records.
func (*Provider) Name() string { return "touch_id" }

// SudoFile is Apple's PAM configuration of sudo.
const SudoFile = "/etc/pam.d/sudo"

// includesSudoLocal matches the line macOS 14 and later have.
var includesSudoLocal = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^\s*auth\s+include\s+sudo_local\s*(#.*)?$`) })

// Plan checks the configuration against the machine.
func (p *Provider) Plan(_ context.Context, _ json.RawMessage) (*platform.Part, error) {
	part := &platform.Part{}
	c := p.Config
	if c == nil || !c.TouchIDSudo {
		return part, nil
	}
	data, err := p.Machine.Reader().ReadFile(SudoFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		part.Warnings = append(part.Warnings, fmt.Sprintf("macos.touch_id_sudo: %s does not exist, so nothing reads /etc/pam.d/sudo_local", SudoFile))
	case err != nil:
		return nil, fmt.Errorf("macos.touch_id_sudo: %w", err)
	case !includesSudoLocal().Match(data):
		part.Warnings = append(part.Warnings, fmt.Sprintf("macos.touch_id_sudo: %s has no `auth include sudo_local` line (macOS before 14 Sonoma), so sudo will not ask for Touch ID; gocfg does not edit Apple's %s, which updates replace", SudoFile, SudoFile))
	}
	if c.Reattach && c.ReattachPath != "" {
		if _, err := p.Machine.Reader().Stat(c.ReattachPath); errors.Is(err, fs.ErrNotExist) && !slices.Contains(c.Packages, "pam-reattach") {
			part.Warnings = append(part.Warnings, fmt.Sprintf("macos.touch_id_sudo_reattach: %s is not there, so sudo skips it (Touch ID then fails inside tmux); add \"pam-reattach\" to environment.system_packages or set macos.touch_id_sudo_reattach_path to where %s is", c.ReattachPath, path.Base(c.ReattachPath)))
		}
	}
	return part, nil
}
