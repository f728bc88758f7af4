package unit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Service is one `systemd.services.<name>` of the evaluated
// configuration, decoded from its JSON. Options that are null_or(...) are
// pointers, nil when unset. The evaluated configuration always carries
// every option with its default (enable = true, restart_if_changed = true,
// stop_on_removal = true, type = "simple", restart = "no", ...); decoding
// JSON that leaves an option out gives Go's zero value instead (false for
// the flags), not the option's default.
type Service struct {
	Description string   `json:"description"`
	After       []string `json:"after"`
	Wants       []string `json:"wants"`
	Requires    []string `json:"requires"`
	WantedBy    []string `json:"wanted_by"`

	ExecStart        *string           `json:"exec_start"`
	ExecStartPre     []string          `json:"exec_start_pre"`
	ExecReload       *string           `json:"exec_reload"`
	Type             string            `json:"type"`
	Restart          string            `json:"restart"`
	User             *string           `json:"user"`
	Group            *string           `json:"group"`
	WorkingDirectory *string           `json:"working_directory"`
	Environment      map[string]string `json:"environment"`

	// RestartTriggers and ReloadTriggers are written as the hash of
	// each list (X-Restart-Triggers=, X-Reload-Triggers= in [Unit]), so
	// that a change to any value changes the unit; Classify tells a
	// change to X-Reload-Triggers alone from others.
	RestartTriggers []string `json:"restart_triggers"`
	ReloadTriggers  []string `json:"reload_triggers"`

	// Enable, RestartIfChanged, ReloadIfChanged and StopOnRemoval are
	// gocfg's, not systemd's: RenderService does not write them.
	Enable           bool `json:"enable"`
	RestartIfChanged bool `json:"restart_if_changed"`
	ReloadIfChanged  bool `json:"reload_if_changed"`
	StopOnRemoval    bool `json:"stop_on_removal"`

	UnitConfig    Settings `json:"unit_config"`
	ServiceConfig Settings `json:"service_config"`
	InstallConfig Settings `json:"install_config"`
}

// RenderService writes the unit file of the service s, whose unit name is
// name (ServiceName of its key, e.g. "nginx.service"):
//
//	[Unit]     Description, After..., Wants..., Requires...,
//	           X-Restart-Triggers, X-Reload-Triggers, unit_config
//	[Service]  Type, ExecStartPre..., ExecStart, ExecReload, Restart, User,
//	           Group, WorkingDirectory, Environment..., service_config
//	[Install]  WantedBy..., install_config
//
// Empty and unset options are left out, and so is a section with nothing
// in it. The triggers are written as TriggersHash of each list, when it
// is not empty. Whether the service is enabled is the caller's business:
// s.Enable is not looked at. The error is an *Error: name is not a
// ".service" unit name, exec_start is unset or empty (ErrNoExecStart),
// reload_triggers are set on a service systemd cannot reload
// (ErrNoReload), or a value cannot be written (see the package
// documentation).
func RenderService(name string, s Service) ([]byte, error) {
	if err := checkName(name, ".service"); err != nil {
		return nil, err
	}
	if s.ExecStart == nil || *s.ExecStart == "" {
		return nil, &Error{Unit: name, Section: "Service", Key: "ExecStart", Err: ErrNoExecStart}
	}
	for _, c := range []struct {
		key  string
		cmds []string
	}{{"ExecStart", []string{*s.ExecStart}}, {"ExecStartPre", s.ExecStartPre}, {"ExecReload", listOf(s.ExecReload)}} {
		for _, cmd := range c.cmds {
			if relativeProgram(cmd) {
				return nil, &Error{Unit: name, Section: "Service", Key: c.key, Err: ErrExecPath}
			}
		}
	}
	if len(s.ReloadTriggers) > 0 && !s.reloadable() {
		return nil, &Error{Unit: name, Section: "Unit", Key: "X-Reload-Triggers", Err: ErrNoReload}
	}
	b := &builder{unit: name}

	b.add("Unit", "Description", s.Description)
	b.list("Unit", "After", s.After)
	b.list("Unit", "Wants", s.Wants)
	b.list("Unit", "Requires", s.Requires)
	b.add("Unit", "X-Restart-Triggers", TriggersHash(s.RestartTriggers))
	b.add("Unit", "X-Reload-Triggers", TriggersHash(s.ReloadTriggers))
	b.extra("Unit", s.UnitConfig)

	b.add("Service", "Type", s.Type)
	b.list("Service", "ExecStartPre", s.ExecStartPre)
	b.addPtr("Service", "ExecStart", s.ExecStart)
	b.addPtr("Service", "ExecReload", s.ExecReload)
	b.add("Service", "Restart", s.Restart)
	b.addPtr("Service", "User", s.User)
	b.addPtr("Service", "Group", s.Group)
	b.addPtr("Service", "WorkingDirectory", s.WorkingDirectory)
	b.environment("Service", s.Environment)
	b.extra("Service", s.ServiceConfig)

	b.list("Install", "WantedBy", s.WantedBy)
	b.extra("Install", s.InstallConfig)

	return b.bytes()
}

// reloadable reports whether systemd can reload the service: it has an
// ExecReload= (exec_reload, or service_config's), or is of
// Type=notify-reload, which systemd reloads with a signal.
func (s Service) reloadable() bool {
	if s.ExecReload != nil && *s.ExecReload != "" || s.ServiceConfig.has("ExecReload") {
		return true
	}
	t := s.Type
	if v := s.ServiceConfig.Last("Type"); v != "" {
		t = v
	}
	return t == "notify-reload"
}

// TriggersHash is the value written for a list of triggers: the hex
// SHA-256 of the values, each written as its length in bytes, a colon,
// the value and a comma (a netstring), so that no two different lists
// give the same text; "" for no triggers.
func TriggersHash(values []string) string {
	if len(values) == 0 {
		return ""
	}
	h := sha256.New()
	for _, v := range values {
		h.Write([]byte(strconv.Itoa(len(v)) + ":" + v + ","))
	}
	return hex.EncodeToString(h.Sum(nil))
}
