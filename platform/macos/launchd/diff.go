package launchd

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gocfg/gocfg/platform/recdiff"
	"howett.net/plist"
)

func init() { recdiff.Register("launchd", recdiff.DecodedContent(DecodeRecords, Diff)) }

// Diff lists what differs from the jobs a records to those b records. A
// changed plist is compared key by key, named by the options that write
// them (program_arguments, run_at_load, keep_alive, environment.NAME,
// extra.<Key>), when both generations' stored plists can be read (ca,
// cb) and still have the recorded hashes; otherwise its content hashes
// are shown. The plist's path and owner follow.
func Diff(a, b *Records, ca, cb recdiff.Content) []recdiff.Change {
	before := make(map[string]*Record, len(a.Jobs))
	for _, r := range a.Jobs {
		before[r.ID()] = r
	}
	var cs []recdiff.Change
	for _, r := range b.Jobs {
		id := r.ID()
		old, ok := before[id]
		delete(before, id)
		if !ok {
			cs = append(cs, recdiff.Created(id, "launchd", recdiff.Value("", "", "plist, content "+recdiff.Short(r.Hash))))
			continue
		}
		var fs recdiff.Fields
		if old.Hash != r.Hash {
			fs = append(fs, plistFields(old, r, ca, cb)...)
		}
		fs.Add("path", old.Path, r.Path)
		fs.Add("owner", jobOwner(old), jobOwner(r))
		cs = recdiff.Updated(cs, id, "launchd", fs)
	}
	for _, r := range a.Jobs {
		if _, gone := before[r.ID()]; gone {
			cs = append(cs, recdiff.Deleted(r.ID(), "launchd", recdiff.Value("", "plist, content "+recdiff.Short(r.Hash), "")))
		}
	}
	return cs
}

func jobOwner(r *Record) string {
	if r.FileUID < 0 && r.FileGID < 0 {
		return "(left alone)"
	}
	return strconv.Itoa(r.FileUID) + ":" + strconv.Itoa(r.FileGID)
}

// plistFields compares two versions of a job's plist key by key, or by
// hash when either cannot be read or parsed.
func plistFields(a, b *Record, ca, cb recdiff.Content) recdiff.Fields {
	byHash := recdiff.Fields{recdiff.NewField("content", recdiff.Short(a.Hash), recdiff.Short(b.Hash))}
	va, ok := plistValues(ca, a)
	if !ok {
		return byHash
	}
	vb, ok := plistValues(cb, b)
	if !ok {
		return byHash
	}
	names := make([]string, 0, len(va)+len(vb))
	for n := range va {
		names = append(names, n)
	}
	for n := range vb {
		if _, ok := va[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var fs recdiff.Fields
	for _, n := range names {
		fs.Add(n, orNone(va[n]), orNone(vb[n]))
	}
	if len(fs) == 0 {
		return recdiff.Fields{recdiff.NewField("content", recdiff.Short(a.Hash), recdiff.Short(b.Hash)+" (same settings)")}
	}
	return fs
}

func orNone(s string) string {
	if s == "" {
		return recdiff.None
	}
	return s
}

// optionOfKey names the plist keys render writes from options.
var optionOfKey = map[string]string{
	"ProgramArguments": "program_arguments",
	"RunAtLoad":        "run_at_load",
	"KeepAlive":        "keep_alive",
}

// plistValues reads a job's stored plist as field name → value text; the
// label is the job's ID and left out.
func plistValues(c recdiff.Content, r *Record) (map[string]string, bool) {
	data, ok := recdiff.Read(c, r.Root, r.Rel, r.Hash)
	if !ok {
		return nil, false
	}
	var doc map[string]any
	if _, err := plist.Unmarshal(data, &doc); err != nil {
		return nil, false
	}
	out := map[string]string{}
	for k, v := range doc {
		switch {
		case k == "Label":
		case k == "EnvironmentVariables":
			env, ok := v.(map[string]any)
			if !ok {
				out["environment"] = plistText(v, false)
				continue
			}
			for name, val := range env {
				out["environment."+name] = plistText(val, false)
			}
		case k == "ProgramArguments":
			out[optionOfKey[k]] = argv(v)
		case optionOfKey[k] != "":
			out[optionOfKey[k]] = plistText(v, false)
		default:
			out["extra."+k] = plistText(v, false)
		}
	}
	return out, true
}

// argv shows program arguments as a shell would take them: words
// separated by spaces, quoted with ' when they hold anything but
// letters, digits and -_./:=@%+,.
func argv(v any) string {
	list, ok := v.([]any)
	if !ok {
		return plistText(v, false)
	}
	words := make([]string, len(list))
	for i, a := range list {
		s, ok := a.(string)
		if !ok {
			return plistText(v, false)
		}
		words[i] = shellWord(s)
	}
	return strings.Join(words, " ")
}

func shellWord(s string) string {
	if s == "" {
		return "''"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./:=@%+,", c)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// plistText shows a plist value on one line: a string as it is (quoted
// inside an array or a dictionary), [a, b] and {key = value} sorted by
// key, data by its length.
func plistText(v any, nested bool) string {
	switch x := v.(type) {
	case string:
		if nested {
			return strconv.Quote(x)
		}
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = plistText(e, true)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " = " + plistText(x[k], true)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []byte:
		return fmt.Sprintf("<%d bytes>", len(x))
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}
