package names

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// A Provider plans the three names. Desired comes from the configuration
// (Config) or from a generation's records (Records: rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return "names" }

// NameID is the resource ID of a name: "hostname:ComputerName".
func NameID(key string) string { return "hostname:" + key }

var (
	// label is one DNS label: letters, digits and inner hyphens.
	label = `[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?`
	// bonjourRE is a valid LocalHostName.
	bonjourRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^` + label + `$`) })
	// hostRE is an RFC 1123 host name.
	hostRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^` + label + `(\.` + label + `)*$`) })
)

// validate checks a desired name; the error names the option.
func validate(key, v string) error {
	opt := options[key]
	switch {
	case v == "":
		return &platform.ConfigError{Option: opt, Msg: "the name is empty", Hint: "leave " + opt + " unset to leave the " + key + " alone"}
	case key == LocalHostName && !bonjourRE().MatchString(v):
		return &platform.ConfigError{Option: opt, Msg: fmt.Sprintf("%q is not a Bonjour name: letters, digits and hyphens only (not first or last), at most 63 characters, no dots", v),
			Hint: bonjourHint(v)}
	case key == HostName && (!hostRE().MatchString(v) || len(v) > 253):
		return &platform.ConfigError{Option: opt, Msg: fmt.Sprintf("%q is not an RFC 1123 host name (dot-separated labels of letters, digits and inner hyphens)", v)}
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return &platform.ConfigError{Option: opt, Msg: fmt.Sprintf("%q holds a control character or a line break", v)}
	}
	return nil
}

// bonjourHint suggests a LocalHostName made from v the way macOS derives
// one from the ComputerName (other characters become hyphens).
func bonjourHint(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		} else if !strings.HasSuffix(b.String(), "-") {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 63 {
		s = strings.TrimRight(s[:63], "-")
	}
	if s == "" {
		return "use letters, digits and hyphens"
	}
	return fmt.Sprintf("use, for example, %q", s)
}

// Plan compares each desired name, the one gocfg set and the live one.
func (p *Provider) Plan(ctx context.Context, appliedData json.RawMessage) (*platform.Part, error) {
	l := p.Machine
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	want := map[string]*string{}
	var wantRecs *Records
	switch {
	case p.Records != nil:
		wantRecs = p.Records
		for _, k := range keys {
			if r := p.Records.get(k); r != nil {
				want[k] = &r.Name
			}
		}
	case p.Config != nil:
		for _, k := range keys {
			want[k] = p.Config.get(k)
		}
	}
	part := &platform.Part{Records: &Records{}}
	anything := !applied.empty()
	for _, k := range keys {
		anything = anything || want[k] != nil
	}
	if !anything {
		return part, nil
	}
	if l.OS != "darwin" {
		// networking.host_name is platform/hostname's on Linux.
		part.Records = applied
		for _, k := range []string{ComputerName, LocalHostName} {
			if want[k] != nil {
				part.Notes = append(part.Notes, options[k]+": macOS only; ignored on "+l.OS)
			}
		}
		return part, nil
	}
	var errs []error
	for _, k := range keys {
		if want[k] != nil {
			if err := validate(k, *want[k]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if !l.Privileged && !l.Offline {
		part.Records = applied
		part.Notes = append(part.Notes, "networking.host_name, computer_name, local_host_name: setting the names needs root (scutil --set); skipped")
		return part, nil
	}
	recs := &Records{}
	part.Records = recs
	for _, k := range keys {
		a := applied.get(k)
		if want[k] == nil && a == nil {
			continue
		}
		sys := l.Reader()
		if l.Offline {
			sys = l.Sys
		}
		live, err := get(ctx, sys, k, l.Offline)
		if err != nil {
			return nil, err
		}
		if want[k] != nil {
			p.planSet(part, recs, k, *want[k], a, wantRecs.get(k), live)
		} else {
			p.planRestore(part, k, a, live)
		}
	}
	return part, nil
}

// planSet makes the name want, recording the value before gocfg first
// managed it.
func (p *Provider) planSet(part *platform.Part, recs *Records, key, want string, a, wantRec *Record, live *string) {
	original := live
	if r := cmp.Or(a, wantRec); r != nil { // the applied record, else the one carried over
		original = r.Original
	}
	recs.set(key, &Record{Name: want, Original: original})
	ch := platform.Change{ID: NameID(key), Kind: "hostname", After: want}
	if same(live, &want) {
		var set *string
		if a != nil {
			set = &a.Name
		}
		platform.AlreadySet(part, ch, set, a != nil && a.Name == want)
		return
	}
	ch.Action, ch.Before = platform.Update, show(live)
	if a != nil && !same(live, &a.Name) {
		ch.Drift = "changed by hand since gocfg set " + a.Name
	}
	if a == nil {
		ch.Note = "the current value is recorded and put back when " + options[key] + " is unset"
	}
	ch.Ops = []platform.Op{&SetOp{Key: key, Name: &want, Prev: live, Offline: p.Machine.Offline}}
	part.Changes = append(part.Changes, ch)
}

// planRestore puts back the value the name had before gocfg managed it
// (removing it when it was not set).
func (p *Provider) planRestore(part *platform.Part, key string, a *Record, live *string) {
	ch := platform.Change{ID: NameID(key), Kind: "hostname", Action: platform.Restore, Before: show(live), After: show(a.Original),
		Ops: []platform.Op{&SetOp{Key: key, Name: a.Original, Prev: live, Offline: p.Machine.Offline}}}
	platform.RestoreValue(part, ch, "value", same(live, a.Original), same(live, &a.Name),
		fmt.Sprintf("%s: changed by hand to %s since gocfg set %q", options[key], show(live), a.Name))
}
