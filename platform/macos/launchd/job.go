package launchd

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"howett.net/plist"
)

// A Job is one configured job with its rendered property list.
type Job struct {
	Label string
	// Option is the job's option path, for errors:
	// macos.launchd.agents."org.example.sync".
	Option string
	// Plist is the property list file, XML; Hash its sha256 in hex.
	Plist []byte
	Hash  string
}

// generated names the plist keys gocfg writes from the job's options,
// for the error about an `extra` key that would overwrite one.
var generated = map[string]string{
	"Label":                "the job's label",
	"ProgramArguments":     "program_arguments",
	"RunAtLoad":            "run_at_load",
	"KeepAlive":            "keep_alive",
	"EnvironmentVariables": "environment",
}

// render makes a job's plist from its options (v as plistval.ToGo gives
// it): Label, ProgramArguments, RunAtLoad and KeepAlive when set,
// EnvironmentVariables when not empty, then the extra keys.
func render(label, option string, v any) (*Job, error) {
	// bad is an error about the job's sub-option field ("" for the
	// job), so that it points at the line that sets it.
	bad := func(field, format string, args ...any) error {
		at := option
		if field != "" {
			at += "." + field
		}
		// The option names the field: "keep_alive: want…" says it twice.
		return &platform.ConfigError{Option: at, Msg: strings.TrimPrefix(fmt.Sprintf(format, args...), field+": ")}
	}
	opts, ok := v.(map[string]any)
	if !ok {
		return nil, bad("", "want an object of program_arguments, run_at_load, keep_alive, environment and extra, got %T", v)
	}
	pl := map[string]any{"Label": label}
	if pa := opts["program_arguments"]; pa != nil {
		list, ok := pa.([]any)
		if !ok {
			return nil, bad("program_arguments", "program_arguments: want a list of strings, got %T", pa)
		}
		args := make([]string, len(list))
		for i, a := range list {
			if args[i], ok = a.(string); !ok {
				return nil, bad("program_arguments", "program_arguments[%d]: want a string, got %T", i, a)
			}
		}
		if len(args) > 0 {
			pl["ProgramArguments"] = args
		}
	}
	if r := opts["run_at_load"]; r != nil {
		b, ok := r.(bool)
		if !ok {
			return nil, bad("run_at_load", "run_at_load: want true or false, got %T", r)
		}
		pl["RunAtLoad"] = b
	}
	if k := opts["keep_alive"]; k != nil {
		switch k.(type) {
		case bool, map[string]any:
		default:
			return nil, bad("keep_alive", "keep_alive: want true, false or an object of conditions such as { SuccessfulExit = false }, got %T", k)
		}
		c, err := clean(k, "keep_alive")
		if err != nil {
			return nil, bad("keep_alive", "%v", err)
		}
		pl["KeepAlive"] = c
	}
	if e := opts["environment"]; e != nil {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, bad("environment", "environment: want an object of strings, got %T", e)
		}
		env := map[string]string{}
		for _, name := range slices.Sorted(maps.Keys(m)) { // the first error in key order
			val := m[name]
			if val == nil {
				continue
			}
			s, ok := val.(string)
			if !ok {
				return nil, bad("environment", "environment.%s: want a string, got %T", name, val)
			}
			env[name] = s
		}
		if len(env) > 0 {
			pl["EnvironmentVariables"] = env
		}
	}
	if x := opts["extra"]; x != nil {
		if err := addExtra(pl, option, x); err != nil {
			return nil, err
		}
	}
	if pl["ProgramArguments"] == nil && pl["Program"] == nil {
		return nil, &platform.ConfigError{Option: option, Msg: "the job names no program", Hint: "set program_arguments (or extra.Program)"}
	}
	data, err := plist.MarshalIndent(pl, plist.XMLFormat, "\t")
	if err != nil {
		return nil, bad("", "cannot write the plist: %v", err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	return &Job{Label: label, Option: option, Plist: data, Hash: hashOf(data)}, nil
}

// addExtra adds the job's extra keys x to its plist pl, checked: none
// may overwrite a key gocfg writes, and the keys whose type launchd
// documents must have it (checkExtra).
func addExtra(pl map[string]any, option string, x any) error {
	m, ok := x.(map[string]any)
	if !ok {
		return &platform.ConfigError{Option: option + ".extra", Msg: fmt.Sprintf("want an object of launchd.plist keys, got %T", x)}
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] == nil {
			continue
		}
		if _, clash := pl[k]; clash {
			return &platform.ConfigError{Option: option + ".extra", Msg: fmt.Sprintf("extra.%s would overwrite the %s that gocfg writes from %s", k, k, generated[k]),
				Hint: fmt.Sprintf("set it with %s only, and drop extra.%s", generated[k], k)}
		}
		c, err := clean(m[k], "extra."+k)
		if err != nil {
			return &platform.ConfigError{Option: option + ".extra", Msg: err.Error()}
		}
		if why := checkExtra(k, c); why != "" {
			return &platform.ConfigError{Option: option + ".extra", Msg: k + ": " + why,
				Hint: "see man launchd.plist for the key's type"}
		}
		pl[k] = c
	}
	return nil
}

// clean drops the null members of objects (a plist has no null: a null
// member is unset); a null list element has no plist form and is an
// error naming where it is.
func clean(v any, at string) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for _, k := range slices.Sorted(maps.Keys(t)) { // the first error in key order
			e := t[k]
			if e == nil {
				continue
			}
			c, err := clean(e, at+"."+k)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			if e == nil {
				return nil, fmt.Errorf("%s[%d] is null, which a plist cannot hold", at, i)
			}
			c, err := clean(e, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

// checkLabel says what is wrong with a label ("" when nothing): it names
// the file <label>.plist and the service <domain>/<label>, so it must be
// a reverse-DNS style name of letters, digits and . _ - @ +, with no
// empty part.
func checkLabel(label string) string {
	switch {
	case label == "":
		return "the label is empty"
	case strings.ContainsRune(label, '/'):
		return "the label contains a \"/\"; it names the file <label>.plist and the service <domain>/<label>"
	case !strings.Contains(label, "."):
		return fmt.Sprintf("the label %q is not in reverse-DNS style (no \".\")", label)
	}
	for _, part := range strings.Split(label, ".") {
		if part == "" {
			return fmt.Sprintf("the label %q has an empty part between dots", label)
		}
	}
	for _, r := range label {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@+", r)) {
			return fmt.Sprintf("the label %q contains %q; use letters, digits and . _ - @ +", label, r)
		}
	}
	return ""
}

func hashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
