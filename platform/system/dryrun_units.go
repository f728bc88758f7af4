package system

import (
	"context"
	"strings"
)

var _ Units = (*dryRunUnits)(nil)

// A dryRunUnits is the Units of a DryRun: reads go to the base's Units,
// changes are recorded in the DryRun's log as systemctl command lines.
type dryRunUnits struct {
	d     *DryRun
	scope UnitScope
	// base is the base System's Units; nil when connecting failed, with
	// err saying why.
	base Units
	err  error
}

// record logs "systemctl [--user --machine=USER@] ARGS...".
func (u *dryRunUnits) record(args ...string) {
	u.d.record("%s", systemctlLine(u.scope, args...))
}

// systemctlLine shows the systemctl command line that acts as args say
// on scope's manager: "systemctl [--user --machine=USER@] ARGS...".
func systemctlLine(scope UnitScope, args ...string) string {
	var b strings.Builder
	b.WriteString("systemctl")
	if !scope.System() {
		b.WriteString(" --user --machine=")
		b.WriteString(ShellQuote(scope.User + "@"))
	}
	for _, a := range args {
		b.WriteByte(' ')
		b.WriteString(ShellQuote(a))
	}
	return b.String()
}

// DaemonReload records "systemctl daemon-reload".
func (u *dryRunUnits) DaemonReload(context.Context) error {
	u.record("daemon-reload")
	return nil
}

// Enable records "systemctl enable NAMES...".
func (u *dryRunUnits) Enable(_ context.Context, names []string) error {
	u.record(append([]string{"enable"}, names...)...)
	return nil
}

// Disable records "systemctl disable NAMES...".
func (u *dryRunUnits) Disable(_ context.Context, names []string) error {
	u.record(append([]string{"disable"}, names...)...)
	return nil
}

// Start records "systemctl start NAME".
func (u *dryRunUnits) Start(_ context.Context, name string) error {
	u.record("start", name)
	return nil
}

// Stop records "systemctl stop NAME".
func (u *dryRunUnits) Stop(_ context.Context, name string) error {
	u.record("stop", name)
	return nil
}

// Restart records "systemctl restart NAME".
func (u *dryRunUnits) Restart(_ context.Context, name string) error {
	u.record("restart", name)
	return nil
}

// Reload records "systemctl reload NAME".
func (u *dryRunUnits) Reload(_ context.Context, name string) error {
	u.record("reload", name)
	return nil
}

// ResetFailed records "systemctl reset-failed NAME".
func (u *dryRunUnits) ResetFailed(_ context.Context, name string) error {
	u.record("reset-failed", name)
	return nil
}

// State reads the unit's state from the base's Units, or returns the
// error of connecting to them.
func (u *dryRunUnits) State(ctx context.Context, name string) (UnitState, error) {
	if u.base == nil {
		return UnitState{}, u.err
	}
	return u.base.State(ctx, name)
}

// Journal reads the base's journal ("" without a connection).
func (u *dryRunUnits) Journal(ctx context.Context, name string, n int) string {
	if u.base == nil {
		return ""
	}
	return u.base.Journal(ctx, name, n)
}

// Close closes the base's Units.
func (u *dryRunUnits) Close() error {
	if u.base == nil {
		return nil
	}
	return u.base.Close()
}
