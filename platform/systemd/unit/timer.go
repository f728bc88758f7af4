package unit

import "strings"

// Timer is one `systemd.timers.<name>` of the evaluated configuration,
// decoded from its JSON. Options that are null_or(...) are pointers, nil
// when unset. As with Service, JSON that leaves an option out decodes to
// Go's zero value (enable = false, wanted_by = none), not the option's
// default; the evaluated configuration always carries the defaults.
type Timer struct {
	Description string   `json:"description"`
	OnCalendar  *string  `json:"on_calendar"`
	OnBootSec   *string  `json:"on_boot_sec"`
	Persistent  bool     `json:"persistent"`
	WantedBy    []string `json:"wanted_by"`

	// Enable is gocfg's, not systemd's: RenderTimer does not write it.
	Enable bool `json:"enable"`

	TimerConfig   Settings `json:"timer_config"`
	UnitConfig    Settings `json:"unit_config"`
	InstallConfig Settings `json:"install_config"`
}

// RenderTimer writes the unit file of the timer t, whose unit name is name
// (TimerName of its key, e.g. "backup.timer"):
//
//	[Unit]     Description, unit_config
//	[Timer]    OnCalendar, OnBootSec, Persistent=true, timer_config
//	[Install]  WantedBy..., install_config
//
// Empty and unset options are left out, and so is Persistent when false
// (systemd's default). The timer starts the service of the same name
// unless timer_config sets Unit; that is systemd's rule, nothing is
// written for it. The error is an *Error: name is not a ".timer" unit
// name, the timer has no trigger (ErrNoTrigger: none of on_calendar,
// on_boot_sec, or a timer_config key starting with "On" is set), or a
// value cannot be written (see the package documentation).
func RenderTimer(name string, t Timer) ([]byte, error) {
	if err := checkName(name, ".timer"); err != nil {
		return nil, err
	}
	if !t.hasTrigger() {
		return nil, &Error{Unit: name, Section: "Timer", Err: ErrNoTrigger}
	}
	b := &builder{unit: name}

	b.add("Unit", "Description", t.Description)
	b.extra("Unit", t.UnitConfig)

	b.addPtr("Timer", "OnCalendar", t.OnCalendar)
	b.addPtr("Timer", "OnBootSec", t.OnBootSec)
	if t.Persistent {
		b.add("Timer", "Persistent", "true")
	}
	b.extra("Timer", t.TimerConfig)

	b.list("Install", "WantedBy", t.WantedBy)
	b.extra("Install", t.InstallConfig)

	return b.bytes()
}

// hasTrigger reports whether t sets a time that fires it.
func (t Timer) hasTrigger() bool {
	if t.OnCalendar != nil && *t.OnCalendar != "" || t.OnBootSec != nil && *t.OnBootSec != "" {
		return true
	}
	for k := range t.TimerConfig {
		if strings.HasPrefix(k, "On") && t.TimerConfig.has(k) {
			return true
		}
	}
	return false
}
