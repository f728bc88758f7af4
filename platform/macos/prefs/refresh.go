package prefs

import (
	"context"
	"fmt"
	"strings"

	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/system"
)

// processOf maps a domain to the process that caches it and must restart
// to show a change.
var processOf = map[string]string{
	"com.apple.dock":           "Dock",
	"com.apple.finder":         "Finder",
	"com.apple.screencapture":  "SystemUIServer",
	"com.apple.systemuiserver": "SystemUIServer",
	"com.apple.controlcenter":  "ControlCenter",
}

// ProcessOf returns the process restarted after domain changed ("" for
// none: activateSettings is enough, or the application reads its
// preferences when it starts).
func ProcessOf(domain string) string {
	if p, ok := processOf[domain]; ok {
		return p
	}
	if strings.HasPrefix(domain, "com.apple.menuextra.") {
		return "SystemUIServer"
	}
	return ""
}

// RefreshOp restarts, as the user, the processes that read changed
// domains, and runs `activateSettings -u` so that running applications
// pick the other changes up.
//
// A plan has two: one after every write (Apply refreshes, Undo does
// nothing: the writes are not back yet when it is undone), and a
// checkpoint before them with Undo set (Apply does nothing; its undo,
// which runs last, refreshes once the old values are back).
type RefreshOp struct {
	Access    Access   `json:"access"`
	Processes []string `json:"processes,omitempty"`
	// Undo: refresh when undone instead of when applied.
	OnUndo bool `json:"on_undo,omitempty"`

	deps []string
}

// Describe says what the op does.
func (o *RefreshOp) Describe() string {
	if o.OnUndo {
		return "checkpoint: refresh " + o.Access.User.Name + "'s preferences if the switch is undone"
	}
	if len(o.Processes) == 0 {
		return "activateSettings -u as " + o.Access.User.Name
	}
	return fmt.Sprintf("restart %s and activateSettings -u as %s", strings.Join(o.Processes, ", "), o.Access.User.Name)
}

// Apply refreshes, unless this is the checkpoint.
func (o *RefreshOp) Apply(ctx context.Context, sys system.System) error {
	if o.OnUndo {
		return nil
	}
	return o.refresh(ctx, sys)
}

// refresh restarts the processes and activates the settings.
func (o *RefreshOp) refresh(ctx context.Context, sys system.System) error {
	for _, p := range o.Processes {
		out, err := sys.Run(ctx, macos.AsUser(macos.Command(macos.Killall, p), o.Access.User, o.Access.Privileged))
		// Not running (no GUI session, or the user quit it): nothing to
		// restart; launchd starts it afresh with the new preferences.
		if err != nil && !strings.Contains(string(out), "No matching processes") {
			return fmt.Errorf("restart %s: %w", p, err)
		}
	}
	if _, err := sys.Run(ctx, macos.AsUser(macos.Command(macos.ActivateSettings, "-u"), o.Access.User, o.Access.Privileged)); err != nil {
		return fmt.Errorf("activateSettings -u: %w", err)
	}
	return nil
}

// Undo refreshes if this is the checkpoint: the previous values are back.
func (o *RefreshOp) Undo(ctx context.Context, sys system.System) error {
	if !o.OnUndo {
		return nil
	}
	return o.refresh(ctx, sys)
}
