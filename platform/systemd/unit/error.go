package unit

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
)

// The reasons RenderService, RenderTimer and CheckName refuse, wrapped in
// an *Error; test them with errors.Is.
var (
	// ErrName: the unit name is not a valid systemd unit name of the
	// expected type.
	ErrName = errors.New("invalid unit name")
	// ErrLineBreak: a value contains a line break (LF or CR).
	ErrLineBreak = errors.New(`the value contains a line break: write it on one line (a unit file takes one line per value, go-systemd's unit package does not escape line breaks, and gocfg does not write "\" continuation lines)`)
	// ErrContinuation: a value ends in a backslash, which systemd would
	// read as "continued on the next line".
	ErrContinuation = errors.New(`the value ends in a backslash, which systemd reads as a line continuation`)
	// ErrLineTooLong: a Key=value line is longer than go-systemd's
	// parser reads back.
	ErrLineTooLong = errors.New("the line is longer than 2047 bytes, the most go-systemd's unit parser reads back")
	// ErrValue: a value has a NUL byte or is not valid UTF-8.
	ErrValue = errors.New("the value has a NUL byte or is not valid UTF-8")
	// ErrKey: an extra key (unit_config, service_config, ...) is not a
	// setting name.
	ErrKey = errors.New("invalid key: a key starts with a letter and has only letters, digits, '-' and '_'")
	// ErrSettingValue: a value of an extra key is an object, or a list
	// with a list or an object in it (Settings).
	ErrSettingValue = errors.New("the value is an object, or a list with a list or an object in it: write a string, a number, true or false, or a list of those (one Key=value line each), or null to leave the key out")
	// ErrEnvironmentName: an environment variable name is not one
	// systemd accepts (letters, digits and '_', not starting with a
	// digit).
	ErrEnvironmentName = errors.New("invalid environment variable name: use letters, digits and '_', not starting with a digit")
	// ErrExecPath: a command whose program is a relative path, which
	// systemd refuses when it loads the unit.
	ErrExecPath = errors.New("the program is a relative path: write it absolute (/usr/local/bin/hello), or a bare name that systemd looks up in its search path (hello)")
	// ErrNoExecStart: a service without exec_start.
	ErrNoExecStart = errors.New("exec_start is required")
	// ErrNoReload: reload_triggers on a service that systemd cannot
	// reload.
	ErrNoReload = errors.New(`reload_triggers need a way to reload the service: set exec_reload (or type = "notify-reload"), or use restart_triggers`)
	// ErrNoTrigger: a timer without on_calendar, on_boot_sec or an On…
	// key in timer_config.
	ErrNoTrigger = errors.New("a timer needs on_calendar, on_boot_sec or an On... key in timer_config (OnActiveSec, OnStartupSec, OnUnitActiveSec, OnUnitInactiveSec, ...)")
)

// Error is a refusal to render a unit: the unit's name first (quoted when
// it is empty or has spaces or control characters), then, when the
// problem is one setting, its section and key.
type Error struct {
	Unit    string // "nginx.service"
	Section string // "Service"; "" when the error is about the whole unit
	Key     string // "ExecStart"; "" when the error is about the whole unit or section
	Err     error
}

func (e *Error) Error() string {
	s := e.Unit
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) || unicode.IsSpace(r) }) {
		s = strconv.Quote(s)
	}
	s += ": "
	if e.Section != "" {
		s += "[" + e.Section + "] "
	}
	if e.Key != "" {
		s += e.Key + ": "
	}
	return s + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }
