package systemd

import (
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/recdiff"
	"github.com/gocfg/gocfg/platform/systemd/unit"
)

func init() { recdiff.Register("systemd", recdiff.DecodedContent(DecodeRecords, Diff)) }

// Diff lists what differs from the units a records to those b records.
// A changed unit file is compared key by key, named by the options that
// write them (exec_start, environment.PORT, service_config.LimitNOFILE),
// when both generations' stored unit files can be read (ca, cb) and
// still have the recorded hashes; otherwise its content hashes are
// shown. The switching flags (enable, restart_if_changed, ...), the
// unit file's path and its owner follow.
func Diff(a, b *Records, ca, cb recdiff.Content) []recdiff.Change {
	return recdiff.Records(nil, a.Units, b.Units, recdiff.Kind[*Unit]{
		Name:     "unit",
		ID:       (*Unit).ID,
		Describe: describeUnit,
		Fields: func(old, u *Unit) recdiff.Fields {
			fs := recdiff.Settings(ca, cb, stored(old), stored(u), unitSettings)
			fs.Add("enable", strconv.FormatBool(old.Enable), strconv.FormatBool(u.Enable))
			fs.Add("restart_if_changed", strconv.FormatBool(old.RestartIfChanged), strconv.FormatBool(u.RestartIfChanged))
			fs.Add("reload_if_changed", strconv.FormatBool(old.ReloadIfChanged), strconv.FormatBool(u.ReloadIfChanged))
			fs.Add("stop_on_removal", strconv.FormatBool(old.StopOnRemoval), strconv.FormatBool(u.StopOnRemoval))
			fs.Add("path", old.Path, u.Path)
			fs.Add("owner", recdiff.Owner(old.UID, old.GID), recdiff.Owner(u.UID, u.GID))
			return fs
		},
	})
}

// stored is where a generation keeps a unit's file.
func stored(u *Unit) recdiff.Stored { return recdiff.Stored{Root: u.Root, Rel: u.Rel, Hash: u.Hash} }

// describeUnit is a unit created or deleted, in one line.
func describeUnit(u *Unit) string {
	s := "unit file, content " + recdiff.Short(u.Hash)
	if u.Enable {
		s += "; enable"
	}
	return s
}

// unitSettings reads a unit file as unitValues names its settings; false
// when it does not parse.
func unitSettings(data []byte) (map[string]string, bool) {
	f, err := unit.Parse(data)
	if err != nil {
		return nil, false
	}
	return unitValues(f), true
}

// optionKeys names the unit file keys RenderService and RenderTimer write
// from typed options by those options.
var optionKeys = map[string]map[string]string{
	"Unit": {
		"Description": "description", "After": "after", "Wants": "wants", "Requires": "requires",
		"X-Restart-Triggers": "restart_triggers", "X-Reload-Triggers": "reload_triggers",
	},
	"Service": {
		"Type": "type", "ExecStartPre": "exec_start_pre", "ExecStart": "exec_start", "ExecReload": "exec_reload",
		"Restart": "restart", "User": "user", "Group": "group", "WorkingDirectory": "working_directory",
	},
	"Timer":   {"OnCalendar": "on_calendar", "OnBootSec": "on_boot_sec", "Persistent": "persistent"},
	"Install": {"WantedBy": "wanted_by"},
}

// unitValues flattens a parsed unit file into field name → value: the
// option's name for a typed option, <section>_config.<Key> for the
// others (Section.Key in a section gocfg does not write), one
// environment.<NAME> per variable; a key's values joined with ", ". The
// trigger hashes are shortened as contents are.
func unitValues(f unit.File) map[string]string {
	out := map[string]string{}
	for section, keys := range f {
		for key, values := range keys {
			if section == "Service" && key == "Environment" {
				for name, v := range environment(values) {
					out["environment."+name] = v
				}
				continue
			}
			name, ok := optionKeys[section][key]
			switch {
			case ok:
			case section == "Unit" || section == "Service" || section == "Timer" || section == "Install":
				name = strings.ToLower(section) + "_config." + key
			default:
				name = section + "." + key
			}
			if strings.HasSuffix(name, "_triggers") {
				short := make([]string, len(values))
				for i, v := range values {
					short[i] = recdiff.Short(v)
				}
				values = short
			}
			out[name] = strings.Join(values, ", ")
		}
	}
	return out
}

// environment reads Environment= values, each one or more NAME=value
// words, double-quoted or not (a later assignment of a name wins, as in
// systemd); values keep the unit file's escapes, which are printable.
func environment(values []string) map[string]string {
	env := map[string]string{}
	for _, v := range values {
		for _, w := range envWords(v) {
			name, val, ok := strings.Cut(w, "=")
			if !ok || name == "" {
				continue
			}
			env[name] = strings.ReplaceAll(val, "%%", "%")
		}
	}
	return env
}

// envWords splits a value into words at spaces outside double quotes,
// dropping the quotes and the backslashes that escape a quote or a
// backslash.
func envWords(s string) []string {
	var words []string
	var w strings.Builder
	in, have := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
			i++
			w.WriteByte(s[i])
			have = true
		case c == '"':
			in, have = !in, true
		case (c == ' ' || c == '\t') && !in:
			if have {
				words = append(words, w.String())
				w.Reset()
				have = false
			}
		default:
			w.WriteByte(c)
			have = true
		}
	}
	if have {
		words = append(words, w.String())
	}
	return words
}
