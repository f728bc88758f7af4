package keyboard

import (
	"context"
	"errors"
	"fmt"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// ID is the resource ID of the key mapping.
const ID = "keyboard:user_key_mapping"

// A Provider plans the key mapping. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return "keyboard" }

// Plan compares the desired mapping, the one gocfg set and the live one.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Machine
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	var want []Pair
	var wantOriginal *[]Pair
	switch {
	case p.Records != nil:
		want, wantOriginal = p.Records.Mapping, p.Records.Original
	case p.Config != nil:
		want = p.Config.UserKeyMapping
	}
	part := &platform.Part{Records: &Records{}}
	if len(want) == 0 && !applied.managed() {
		return part, nil
	}
	if l.Offline {
		part.Records = applied
		part.Notes = append(part.Notes, Option+": under --root hidutil is not run; the LaunchAgent org.gocfg.keyboard sets the mapping at login")
		return part, nil
	}
	if _, dry := l.Sys.(*system.DryRun); dry && l.Query == nil {
		// DryRun runs no command: hidutil --get would answer nothing.
		return nil, errors.New("keyboard: Machine.Query is not set, and hidutil cannot be asked through --dry-run's System")
	}
	cur, err := live(ctx, l.Reader())
	if err != nil {
		return nil, err
	}
	if len(want) > 0 {
		planSet(part, applied, want, wantOriginal, cur)
	} else {
		planRestore(part, applied, cur)
	}
	return part, nil
}

// planSet makes the mapping want.
func planSet(part *platform.Part, applied *Records, want []Pair, wantOriginal *[]Pair, cur []Pair) {
	original := cur
	switch {
	case applied.managed() && applied.Original != nil:
		original = *applied.Original
	case wantOriginal != nil:
		original = *wantOriginal
	}
	if original == nil {
		original = []Pair{}
	}
	part.Records = &Records{Mapping: want, Original: &original}
	ch := platform.Change{ID: ID, Kind: "keyboard", After: show(want)}
	if equal(cur, want) {
		var set *string
		if applied.managed() {
			shown := show(applied.Mapping)
			set = &shown
		}
		platform.AlreadySet(part, ch, set, set != nil && equal(applied.Mapping, want))
		return
	}
	ch.Action, ch.Before = platform.Update, show(cur)
	switch {
	case applied.managed() && len(cur) == 0:
		ch.Drift = "cleared since gocfg set it (a restart clears it until the LaunchAgent sets it again at login)"
	case applied.managed() && !equal(cur, applied.Mapping):
		ch.Drift = "changed by hand since gocfg set " + show(applied.Mapping)
	case !applied.managed():
		ch.Note = "the current mapping is recorded and put back when " + Option + " is emptied"
	}
	ch.Ops = []platform.Op{&SetOp{Mapping: want, Prev: cur}}
	part.Changes = append(part.Changes, ch)
}

// planRestore puts back the mapping that was live before gocfg managed
// it (none, usually: the remaps are cleared).
func planRestore(part *platform.Part, applied *Records, cur []Pair) {
	var orig []Pair
	if applied.Original != nil {
		orig = *applied.Original
	}
	ch := platform.Change{ID: ID, Kind: "keyboard", Action: platform.Restore, Before: show(cur), After: show(orig),
		Ops: []platform.Op{&SetOp{Mapping: orig, Prev: cur}}}
	platform.RestoreValue(part, ch, "mapping", equal(cur, orig), equal(cur, applied.Mapping),
		fmt.Sprintf("%s: changed by hand to %s since gocfg set %s", Option, show(cur), show(applied.Mapping)))
}
