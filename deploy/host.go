package deploy

import (
	"fmt"
	"slices"
	"time"

	json "github.com/goccy/go-json"
)

// A Host is one host of the fleet and how to reach and check it: its
// `deployment.*` options.
type Host struct {
	// Name is the host's name: hosts/<Name>.hcl.
	Name string
	// Target is the address ssh connects to (default: Name); User and
	// Port are left to ssh when empty or 0.
	Target string
	User   string
	Port   int
	Tags   []string
	// Become is how the switch gets root: "sudo", "doas" or "" (the
	// login user is root, or deployment.become = "none").
	Become         string
	HealthChecks   []HealthCheck
	MagicRollback  bool
	ConfirmTimeout time.Duration
	SSHOptions     []string
}

// A HealthCheck is a command run on the host or a URL fetched from the
// deploying machine, after the switch.
type HealthCheck struct {
	Command string
	URL     string
	Timeout time.Duration
}

// deploymentJSON is `deployment` as gocfg eval --json prints it.
type deploymentJSON struct {
	TargetHost   *string  `json:"target_host"`
	TargetUser   *string  `json:"target_user"`
	TargetPort   *int     `json:"target_port"`
	Tags         []string `json:"tags"`
	Become       *string  `json:"become"`
	HealthChecks []struct {
		Command *string `json:"command"`
		URL     *string `json:"url"`
		Timeout int     `json:"timeout"`
	} `json:"health_checks"`
	MagicRollback  *bool    `json:"magic_rollback"`
	ConfirmTimeout int      `json:"confirm_timeout"`
	SSHOptions     []string `json:"ssh_options"`
}

// HostFromJSON reads host name's `deployment` options out of its whole
// evaluated configuration (gocfg eval --json).
func HostFromJSON(name string, js []byte) (Host, error) {
	var doc struct {
		Deployment deploymentJSON `json:"deployment"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return Host{}, fmt.Errorf("host %s: read the evaluated configuration: %w", name, err)
	}
	d := doc.Deployment
	h := Host{Name: name, Target: name, Tags: d.Tags, SSHOptions: d.SSHOptions, MagicRollback: true,
		ConfirmTimeout: seconds(d.ConfirmTimeout, 30)}
	if d.TargetHost != nil && *d.TargetHost != "" {
		h.Target = *d.TargetHost
	}
	if d.TargetUser != nil {
		h.User = *d.TargetUser
	}
	if d.TargetPort != nil {
		// Checked here, before ssh is given it: the other options are
		// checked by the host's own evaluation, which comes after the
		// connection (it needs the host's facts).
		if p := *d.TargetPort; p < 1 || p > 65535 {
			return Host{}, fmt.Errorf("host %s: deployment.target_port: %d is not a port (1 to 65535); gocfg check --host %s shows where it is set", name, p, name)
		}
		h.Port = *d.TargetPort
	}
	if d.MagicRollback != nil {
		h.MagicRollback = *d.MagicRollback
	}
	h.Become = become(d.Become, h.User)
	for _, c := range d.HealthChecks {
		hc := HealthCheck{Timeout: seconds(c.Timeout, 10)}
		if c.Command != nil {
			hc.Command = *c.Command
		}
		if c.URL != nil {
			hc.URL = *c.URL
		}
		h.HealthChecks = append(h.HealthChecks, hc)
	}
	return h, nil
}

// become is deployment.become as the deploy applies it: unset means sudo
// unless the login user is root (an unset user may be root through the
// ssh_config: the host then runs sudo as root, which is harmless).
func become(set *string, user string) string {
	switch {
	case set != nil && *set == "none":
		return ""
	case set != nil:
		return *set
	case user == "root":
		return ""
	}
	return "sudo"
}

func seconds(n, def int) time.Duration {
	if n <= 0 {
		n = def
	}
	return time.Duration(n) * time.Second
}

// HasTag reports whether h has tag t.
func (h Host) HasTag(t string) bool { return slices.Contains(h.Tags, t) }
