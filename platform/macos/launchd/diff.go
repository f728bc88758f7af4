package launchd

import (
	"fmt"
	"maps"
	"slices"
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
	return recdiff.Records(nil, a.Jobs, b.Jobs, recdiff.Kind[*Record]{
		Name:     "launchd",
		ID:       (*Record).ID,
		Describe: func(r *Record) string { return "plist, content " + recdiff.Short(r.Hash) },
		Fields: func(old, r *Record) recdiff.Fields {
			fs := recdiff.Settings(ca, cb, stored(old), stored(r), plistValues)
			fs.Add("path", old.Path, r.Path)
			fs.Add("owner", recdiff.Owner(old.FileUID, old.FileGID), recdiff.Owner(r.FileUID, r.FileGID))
			return fs
		},
	})
}

// stored is where a generation keeps a job's plist.
func stored(r *Record) recdiff.Stored { return recdiff.Stored{Root: r.Root, Rel: r.Rel, Hash: r.Hash} }

// optionOfKey names the plist keys render writes from options.
var optionOfKey = map[string]string{
	"ProgramArguments": "program_arguments",
	"RunAtLoad":        "run_at_load",
	"KeepAlive":        "keep_alive",
}

// plistValues reads a job's plist as field name → value text; the label
// is the job's ID and left out.
func plistValues(data []byte) (map[string]string, bool) {
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
		keys := slices.Sorted(maps.Keys(x))
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
