package macfake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/system"
)

// Dir is the machine folder holding the fake's state and log.
const Dir = "/.macfake"

// LogPath is the machine path of the command log.
const LogPath = Dir + "/commands.log"

// A Fake answers macOS commands on top of a System that holds the files.
type Fake struct {
	system.System
	// Self is the user gocfg runs as ("root" for sudo gocfg): commands
	// not wrapped for another user run as Self.
	Self string

	mu sync.Mutex
}

// New returns a fake Mac whose files live in sys; gocfg runs as self.
func New(sys system.System, self string) *Fake {
	return &Fake{System: sys, Self: self}
}

// A Call is one command as the fake answers it.
type Call struct {
	// User is who the command runs as.
	User string
	// Name is the program's base name ("defaults").
	Name string
	// Args are its arguments.
	Args []string
}

// A handler answers one command: its output, and its exit status.
type handler func(ctx context.Context, f *Fake, c Call) ([]byte, int)

var handlers = map[string]handler{}

// register makes a command answerable; each command's file registers its
// own from init.
func register(name string, h handler) {
	if _, dup := handlers[name]; dup {
		panic("macfake: command registered twice: " + name)
	}
	handlers[name] = h
}

// An ExitError is a fake command's failure, shaped like the real one's:
// the program, its exit status, and the last lines of its output.
type ExitError struct {
	Path   string
	Code   int
	Output string
}

func (e *ExitError) Error() string {
	msg := fmt.Sprintf("%s: exit status %d", e.Path, e.Code)
	if out := strings.TrimSpace(e.Output); out != "" {
		lines := strings.Split(out, "\n")
		if len(lines) > 10 {
			lines = lines[len(lines)-10:]
		}
		msg += ": " + strings.Join(lines, "\n")
	}
	return msg
}

// Run logs c and answers it.
func (f *Fake) Run(ctx context.Context, c system.Command) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	call, err := f.unwrap(c)
	if err := f.log(c, call); err != nil {
		return nil, err
	}
	if err != nil {
		return []byte(err.Error()), &ExitError{Path: c.Path, Code: 1, Output: err.Error()}
	}
	h, ok := handlers[call.Name]
	if !ok {
		msg := "macfake: not faked: " + call.Name
		return []byte(msg), &ExitError{Path: c.Path, Code: 127, Output: msg}
	}
	out, code := h(ctx, f, call)
	if code != 0 {
		return out, &ExitError{Path: c.Path, Code: code, Output: string(out)}
	}
	return out, nil
}

// unwrap peels `launchctl asuser <uid> sudo -u <user> [--] cmd ...` and
// `sudo -u <user> [--] cmd ...` off c.
func (f *Fake) unwrap(c system.Command) (Call, error) {
	call := Call{User: f.Self, Name: path.Base(c.Path), Args: c.Args}
	if c.UID != -1 && c.UID != 0 {
		u, ok, err := f.userByUID(c.UID)
		if err != nil {
			return call, err
		}
		if !ok {
			return call, fmt.Errorf("macfake: run as uid %d: no such user", c.UID)
		}
		call.User = u.Name
	}
	if call.Name == "launchctl" && len(call.Args) >= 3 && call.Args[0] == "asuser" {
		uid, err := strconv.Atoi(call.Args[1])
		if err != nil {
			return call, fmt.Errorf("launchctl asuser: bad uid %q", call.Args[1])
		}
		u, ok, err := f.userByUID(uid)
		if err != nil {
			return call, err
		}
		if !ok {
			return call, fmt.Errorf("launchctl asuser: Could not switch to audit session of uid %d", uid)
		}
		inner, err := f.unwrap(system.Command{Path: call.Args[2], Args: call.Args[3:], UID: -1, GID: -1})
		if err != nil {
			return inner, err
		}
		if inner.User != u.Name && inner.User != f.Self {
			return inner, fmt.Errorf("launchctl asuser %d: sudo -u %s runs as another user than the session's", uid, inner.User)
		}
		if inner.User == f.Self {
			inner.User = u.Name
		}
		return inner, nil
	}
	if call.Name == "sudo" {
		args := call.Args
		user := "root"
	opts:
		for len(args) > 0 && strings.HasPrefix(args[0], "-") {
			switch args[0] {
			case "-u":
				if len(args) < 2 {
					return call, errors.New("sudo: option requires an argument -- u")
				}
				user, args = args[1], args[2:]
			case "--":
				args = args[1:]
				break opts
			case "-H", "-n", "-E":
				args = args[1:]
			default:
				return call, fmt.Errorf("sudo: option %s not faked", args[0])
			}
		}
		if len(args) == 0 {
			return call, errors.New("sudo: no command")
		}
		if f.Self != "root" && user != f.Self {
			return call, errors.New("sudo: a password is required")
		}
		return Call{User: user, Name: path.Base(args[0]), Args: args[1:]}, nil
	}
	return call, nil
}

// log appends the command line to the log.
func (f *Fake) log(c system.Command, call Call) error {
	if err := f.System.MkdirAll(Dir, 0o755); err != nil {
		return err
	}
	w, err := f.System.OpenAppend(LogPath, 0o644)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[%s] %s", call.User, quote(c.Path))
	for _, a := range c.Args {
		b.WriteString(" " + quote(a))
	}
	b.WriteString("\n")
	_, err = w.Write([]byte(b.String()))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// quote writes an argument the way a shell would take it back, on one
// line: plain when it has no special characters, else single-quoted, with
// line breaks as \n.
func quote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:@,+%", r))
	}) < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "'", `'\''`)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return "'" + s + "'"
}

// Load reads section's state into v; a missing section leaves v as it is.
func (f *Fake) Load(section string, v any) error {
	data, err := f.System.ReadFile(Dir + "/" + section + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s/%s.json: %w", Dir, section, err)
	}
	return nil
}

// Save writes section's state.
func (f *Fake) Save(section string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := f.System.MkdirAll(Dir, 0o755); err != nil {
		return err
	}
	return f.System.WriteFile(Dir+"/"+section+".json", append(data, '\n'), 0o644)
}

// Log returns the commands run so far, one per line.
func (f *Fake) Log() ([]string, error) {
	data, err := f.System.ReadFile(LogPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"), nil
}

// ClearLog forgets the commands logged so far.
func (f *Fake) ClearLog() error {
	err := f.System.Remove(LogPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// failf is a handler's failure: a message and exit status 1.
func failf(format string, args ...any) ([]byte, int) {
	return []byte(fmt.Sprintf(format, args...) + "\n"), 1
}

// ExitCode is the fake command's exit status, as exec.ExitError has it.
func (e *ExitError) ExitCode() int { return e.Code }
