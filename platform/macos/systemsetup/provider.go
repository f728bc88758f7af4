package systemsetup

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// A Provider plans the settings. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return "systemsetup" }

// desired returns what each setting should be (absent: not managed) and
// the records it comes from on a rollback.
func (p *Provider) desired() (map[string]string, *Records) {
	want := map[string]string{}
	switch {
	case p.Records != nil:
		for _, k := range keys {
			if r := p.Records.get(k); r != nil {
				want[k] = r.Value
			}
		}
		return want, p.Records
	case p.Config != nil:
		for _, k := range keys {
			if v := p.Config.want(k); v != nil {
				want[k] = *v
			}
		}
	}
	return want, nil
}

// Plan compares each desired setting, the one gocfg set and the live one.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Machine
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	want, wantRecs := p.desired()
	part := &platform.Part{Records: &Records{}}
	if len(want) == 0 && applied.empty() {
		return part, nil
	}
	if tz, ok := want[TimeZone]; ok && (tz == "" || strings.ContainsAny(tz, " \t\n")) {
		return nil, &platform.ConfigError{Option: options[TimeZone], Msg: fmt.Sprintf("%q is not a time zone name", tz), Hint: "write a zone as `systemsetup -listtimezones` prints it, such as Europe/Paris"}
	}
	var skip string
	switch {
	case l.Offline:
		skip = "macOS settings need the live Mac (systemsetup, socketfilterfw); skipped under --root"
	case !l.Privileged:
		skip = "setting them needs root (systemsetup, socketfilterfw); skipped"
	}
	if skip != "" {
		part.Records = applied
		var opts []string
		for _, k := range keys {
			if _, ok := want[k]; ok || applied.get(k) != nil {
				opts = append(opts, options[k])
			}
		}
		part.Notes = append(part.Notes, strings.Join(opts, ", ")+": "+skip)
		return part, nil
	}
	q := l.Reader()
	if tz, ok := want[TimeZone]; ok {
		if err := checkZone(ctx, p, tz); err != nil {
			return nil, err
		}
	}
	recs := &Records{}
	part.Records = recs
	for _, k := range keys {
		a := applied.get(k)
		v, wanted := want[k]
		if !wanted && a == nil {
			continue
		}
		live, err := get(ctx, q, k)
		if err != nil {
			return nil, err
		}
		if wanted {
			planSet(part, recs, k, v, a, wantRecs.get(k), live)
		} else {
			planRestore(part, k, a, live)
		}
	}
	return part, nil
}

// checkZone fails the plan on a zone systemsetup does not list, naming
// the closest ones.
func checkZone(ctx context.Context, p *Provider, tz string) error {
	zs, err := zones(ctx, p.Machine.Reader())
	if err != nil {
		return err
	}
	if slices.Contains(zs, tz) {
		return nil
	}
	ce := &platform.ConfigError{Option: options[TimeZone], Msg: fmt.Sprintf("%q is not a time zone macOS knows (systemsetup -listtimezones)", tz)}
	if near := closeZones(tz, zs); len(near) > 0 {
		ce.Hint = "did you mean " + strings.Join(near, ", ") + "?"
	} else {
		ce.Hint = "`systemsetup -listtimezones` lists the zones"
	}
	return ce
}

// planSet makes the setting v, recording the value before gocfg first
// managed it.
func planSet(part *platform.Part, recs *Records, key, v string, a, wantRec *Record, live string) {
	original := live
	if r := cmp.Or(a, wantRec); r != nil { // the applied record, else the one carried over
		original = r.Original
	}
	recs.set(key, &Record{Value: v, Original: original})
	ch := platform.Change{ID: SettingID(key), Kind: kind, Action: platform.Update, Before: live, After: v}
	if live == v {
		var set *string
		if a != nil {
			set = &a.Value
		}
		platform.AlreadySet(part, ch, set, a != nil && a.Value == v)
		return
	}
	if a != nil && live != a.Value {
		ch.Drift = "changed by hand since gocfg set " + a.Value
	}
	if a == nil {
		ch.Note = "the current value is recorded and put back when " + options[key] + " is unset"
	}
	ch.Ops = []platform.Op{&SetOp{Key: key, Value: v, Prev: live}}
	part.Changes = append(part.Changes, ch)
}

// planRestore puts back the value the setting had before gocfg managed
// it.
func planRestore(part *platform.Part, key string, a *Record, live string) {
	ch := platform.Change{ID: SettingID(key), Kind: kind, Action: platform.Restore, Before: live, After: a.Original,
		Ops: []platform.Op{&SetOp{Key: key, Value: a.Original, Prev: live}}}
	platform.RestoreValue(part, ch, "value", live == a.Original, live == a.Value,
		fmt.Sprintf("%s: the %s was changed by hand to %s since gocfg set %s", options[key], what(key), live, a.Value))
}
