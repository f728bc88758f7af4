package hostname

import (
	"context"
	"fmt"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// ID is the resource ID of the host name.
const ID = "hostname"

// A Provider plans the host name. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return "hostname" }

const option = "networking.host_name"

// Plan compares the desired host name, the one gocfg set and the live
// one.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Machine
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	var want, wantOriginal *string
	switch {
	case p.Records != nil:
		want, wantOriginal = p.Records.Name, p.Records.Original
	case p.Config != nil:
		want = p.Config.HostName
	}
	part := &platform.Part{Records: &Records{}}
	if l.OS == "darwin" {
		// platform/macos/names sets the HostName (scutil) on macOS.
		part.Records = applied
		return part, nil
	}
	if want == nil && !applied.managed() {
		return part, nil
	}
	if want != nil && *want == "" {
		return nil, &platform.ConfigError{Option: option, Msg: "the host name is empty", Hint: "leave networking.host_name unset to leave the host name alone"}
	}
	if !l.Privileged && !l.Offline {
		part.Records = applied
		part.Notes = append(part.Notes, option+": setting the host name needs root; skipped")
		return part, nil
	}
	live, err := l.Sys.Hostname(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the host name: %w", err)
	}
	if want != nil {
		p.planSet(part, applied, *want, wantOriginal, live)
	} else {
		p.planRestore(part, applied, live)
	}
	return part, nil
}

// planSet makes the host name want.
func (p *Provider) planSet(part *platform.Part, applied *Records, want string, wantOriginal *string, live string) {
	original := live
	switch {
	case applied.managed() && applied.Original != nil:
		original = *applied.Original
	case wantOriginal != nil:
		original = *wantOriginal
	}
	part.Records = &Records{Name: &want, Original: &original}
	ch := platform.Change{ID: ID, Kind: "hostname", After: want}
	if live == want {
		var name *string
		if applied.managed() {
			name = applied.Name
		}
		platform.AlreadySet(part, ch, name, name != nil && *name == want)
		return
	}
	ch.Action, ch.Before = platform.Update, show(live)
	if applied.managed() && live != *applied.Name {
		ch.Drift = "changed by hand since gocfg set " + *applied.Name
	}
	if !applied.managed() {
		ch.Note = "the current name is recorded and put back when networking.host_name is unset"
	}
	ch.Ops = []platform.Op{&SetOp{Name: want, Prev: live}}
	part.Changes = append(part.Changes, ch)
}

// planRestore puts back the name the machine had before gocfg managed it.
func (p *Provider) planRestore(part *platform.Part, applied *Records, live string) {
	if applied.Original == nil {
		part.Warnings = append(part.Warnings, fmt.Sprintf("%s: no longer set; the name before gocfg managed it was not recorded, so %q stays", option, live))
		return
	}
	orig := *applied.Original
	ch := platform.Change{ID: ID, Kind: "hostname", Action: platform.Restore, Before: show(live), After: show(orig),
		Ops: []platform.Op{&SetOp{Name: orig, Prev: live}}}
	platform.RestoreValue(part, ch, "name", live == orig, live == *applied.Name,
		fmt.Sprintf("%s: changed by hand to %q since gocfg set %q", option, live, *applied.Name))
}

// show names a host name in a plan.
func show(name string) string {
	if name == "" {
		return "(no static host name)"
	}
	return name
}
