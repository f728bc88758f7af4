package deploy

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/deploy/bundle"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":            "plain",
		"/a/b-c_d.e:f@g,h": "/a/b-c_d.e:f@g,h",
		"":                 "''",
		"two words":        "'two words'",
		"it's":             `'it'\''s'`,
		"$HOME":            `'$HOME'`,
		"a;rm -rf /":       `'a;rm -rf /'`,
		"`x`\n":            "'`x`\n'",
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	got := Shell(BecomeArgs(Host{Become: "sudo"}), HomePath(".cache/gocfg/deploy/gocfg-0123"), "deploy-agent", "--receive", HomePath("x y"))
	want := `sudo -n "$HOME"/.cache/gocfg/deploy/gocfg-0123 deploy-agent --receive "$HOME"/'x y'`
	if got != want {
		t.Errorf("Shell = %s\nwant    %s", got, want)
	}
	if got := Shell(BecomeArgs(Host{}), "gocfg", "rollback"); got != "gocfg rollback" {
		t.Errorf("without become: %q", got)
	}
}

func TestSSHArgs(t *testing.T) {
	s := &SSH{ConfigFile: "/f/ssh_config", ControlDir: "/tmp/c"}
	h := Host{Target: "10.0.0.1", User: "deploy", Port: 2222, SSHOptions: []string{"Compression=yes"}}
	got := strings.Join(s.Args(h, false, "uname -s -m"), " ")
	const liveness = "-o ConnectTimeout=10 -o ServerAliveInterval=5 -o ServerAliveCountMax=3"
	const noForwarding = "-o ForwardAgent=no -o ForwardX11=no -o GSSAPIDelegateCredentials=no -o ClearAllForwardings=yes -o Tunnel=no"
	want := "-F /f/ssh_config -T -o BatchMode=yes " + noForwarding + " -o ControlMaster=auto -o ControlPath=/tmp/c/%C -o ControlPersist=600 -l deploy -p 2222 -o Compression=yes " + liveness + " -- 10.0.0.1 uname -s -m"
	if got != want {
		t.Errorf("shared:\n got %s\nwant %s", got, want)
	}
	got = strings.Join((&SSH{ControlDir: "/tmp/c"}).Args(Host{Target: "web1"}, true, "x"), " ")
	if want := "-T -o BatchMode=yes " + noForwarding + " -o ControlMaster=no -o ControlPath=none " + liveness + " -- web1 x"; got != want {
		t.Errorf("fresh:\n got %s\nwant %s", got, want)
	}
}

// TestSSHLiveness: ConnectTimeout is added only when the user's ssh
// configuration sets none, as ssh -G reports it (a fake ssh that prints
// a ConnectTimeout), asked once per host; the ServerAlive pair always
// (Debian's ssh makes BatchMode imply a 300 s interval, which ssh -G
// cannot tell from the user's own).
func TestSSHLiveness(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	fake := filepath.Join(dir, "ssh")
	script := "#!/bin/sh\necho \"$*\" >> " + calls + "\nprintf 'user deploy\\nconnecttimeout 3\\nserveraliveinterval 300\\n'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	s := &SSH{Binary: fake, ConfigFile: "/f/ssh_config", ControlDir: "/tmp/c"}
	h := Host{Target: "web1", User: "deploy"}
	for range 3 {
		got := strings.Join(s.Args(h, false, "true"), " ")
		if !strings.HasSuffix(got, " -o ServerAliveInterval=5 -o ServerAliveCountMax=3 -- web1 true") || strings.Contains(got, "ConnectTimeout") {
			t.Fatalf("args %s: want the ServerAlive options only (ssh_config sets ConnectTimeout)", got)
		}
	}
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(b)); got != "-F /f/ssh_config -l deploy -G -- web1" {
		t.Errorf("ssh was called as %q, want one ssh -G", got)
	}
}

func TestParseUname(t *testing.T) {
	for in, want := range map[string]string{
		"Linux x86_64\n": "linux/amd64", "Linux aarch64\n": "linux/arm64", "Darwin arm64\n": "darwin/arm64",
		"Darwin x86_64": "darwin/amd64", "FreeBSD amd64": "error", "Linux riscv64": "error", "": "error",
	} {
		f, err := ParseUname(in)
		got := f.OS + "/" + f.Arch
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("ParseUname(%q) = %s (%v), want %s", in, got, err, want)
		}
	}
}

// TestPrefixed: each host's lines come whole and prefixed, however its
// writes are cut and however many hosts write at once.
func TestPrefixed(t *testing.T) {
	var buf bytes.Buffer
	out := NewOutput(&buf)
	var wg sync.WaitGroup
	for _, name := range []string{"web1", "web2", "db1"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := out.Host(name)
			for i := range 200 {
				line := fmt.Sprintf("line %d of %s\n", i, name)
				// In pieces, a byte at a time for some.
				for len(line) > 0 {
					n := 1 + i%7
					if n > len(line) {
						n = len(line)
					}
					_, _ = w.Write([]byte(line[:n]))
					line = line[n:]
				}
			}
			_, _ = w.Write([]byte("no newline"))
			w.Flush()
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3*201 {
		t.Fatalf("%d lines", len(lines))
	}
	re := regexp.MustCompile(`^(web1|web2|db1): (line [0-9]+ of (web1|web2|db1)|no newline)$`)
	next := map[string]int{}
	for _, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil || m[3] != "" && m[1] != m[3] {
			t.Fatalf("mixed line %q", l)
		}
		if m[3] != "" && l != fmt.Sprintf("%s: line %d of %s", m[1], next[m[1]], m[1]) {
			t.Fatalf("out of order: %q", l)
		}
		next[m[1]]++
	}
}

// TestPrefixedEscapes: a host's terminal controls show as escapes, and
// cannot erase its prefix (tester AS).
func TestPrefixedEscapes(t *testing.T) {
	var buf bytes.Buffer
	w := NewOutput(&buf).Host("host2")
	_, _ = w.Write([]byte("log \x1b[31mRED\x1b[0m \x1b]52;c;ZWNobw==\a clip\r\n\r\x1b[2Khost1: gocfg: confirmed\n\ttabbed, é\n"))
	want := "host2: log \\x1b[31mRED\\x1b[0m \\x1b]52;c;ZWNobw==\\x07 clip\n" +
		"host2: \\x0d\\x1b[2Khost1: gocfg: confirmed\n" +
		"host2: \ttabbed, é\n"
	if buf.String() != want {
		t.Errorf("got\n%q\nwant\n%q", buf.String(), want)
	}
}

// TestResultJSONEscapes (tester AT): a reason's C1 controls and bidi
// overrides are escapes in --json, as in the table.
func TestResultJSONEscapes(t *testing.T) {
	js, err := json.Marshal(Result{Host: "evil", Outcome: Failed, Why: "C1CSI:\u009b2J OSC:\u009d0;pwned\u009c ESC:\x1b[31m BIDI:\u202egninraw\nline two"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range string(js) {
		if r >= 0x80 && r <= 0x9f || r == 0x202e || r < 0x20 {
			t.Errorf("raw %U in %s", r, js)
		}
	}
	if !strings.Contains(string(js), `C1CSI:\\u009b2J`) || !strings.Contains(string(js), `\nline two`) {
		t.Errorf("%s", js)
	}
}

// TestWriteTable: one line per host; a host that rolled back shows the
// generation that is current again; a reason of several lines (a unit's
// journal) keeps its first, and says the rest is above.
func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	err := WriteTable(&buf, []Result{
		{Host: "db1", From: 3, To: 4, Changes: 5, Took: 2140 * time.Millisecond, Outcome: Switched, OK: true},
		{Host: "db2", From: 3, To: 4, Changes: 2, Took: 3 * time.Second, Outcome: Failed,
			Why: "starting app.service: exit status 1\n  Jan 01 app[12]: bad config\n  Jan 01 systemd[1]: app.service: Failed\n"},
		{Host: "web1", From: 4, To: 4, Took: 800 * time.Millisecond, Outcome: NoChanges, OK: true},
		{Host: "web2", From: 2, To: 3, Changes: 1, Took: 41 * time.Second, Outcome: RolledBack, Why: "health check 'curl -f localhost': exit status 22"},
		{Host: "web3", Took: 5 * time.Second, Outcome: Unreachable, Why: "ssh failed: connection refused"},
		{Host: "web4", Outcome: Skipped, Why: "--max-fail reached"},
		{Host: "web5", From: 7, To: 8, Took: 2 * time.Second, Outcome: Interrupted, Why: "before its switch was confirmed: …"},
		// A host's words, with terminal controls (tester AS).
		{Host: "web6", Outcome: Failed, Why: "\x1b]0;title\a \r\x1b[2Kweb1 1 → 2 5 1.0s switched\x1b[8m"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `HOST  GENERATION         CHANGES  TIME   RESULT
db1   3 → 4              5        2.1s   switched
db2   3 → 4              2        3s     failed: starting app.service: exit status 1 (…, see above)
web1  4                  0        800ms  no changes
web2  2 (3 rolled back)  1        41s    rolled back: health check 'curl -f localhost': exit status 22
web3  -                  -        5s     unreachable: ssh failed: connection refused
web4  -                  -        -      skipped: --max-fail reached
web5  7 → 8              -        2s     interrupted: before its switch was confirmed: …
web6  -                  -        -      failed: \x1b]0;title\x07 \x0d\x1b[2Kweb1 1 → 2 5 1.0s switched\x1b[8m
`
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if AllOK([]Result{{OK: true}, {OK: false}}) || !AllOK([]Result{{OK: true}}) {
		t.Error("AllOK")
	}
}

// TestFleetMaxFail: once --max-fail hosts have failed, the hosts not
// started are skipped; the ones under way finish; without it every host
// is tried.
func TestFleetMaxFail(t *testing.T) {
	hosts := []Host{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}, {Name: "e"}}
	fail := map[string]bool{"a": true, "c": true}
	one := func(_ context.Context, h Host, w *Prefixed) Result {
		fmt.Fprintf(w, "deploying\n")
		return Result{Outcome: Switched, OK: !fail[h.Name]}
	}
	outcomes := func(rs []Result) string {
		var s []string
		for _, r := range rs {
			o := r.Host + "=" + r.Outcome
			if !r.OK && r.Outcome == Switched {
				o = r.Host + "=failed"
			}
			s = append(s, o)
		}
		return strings.Join(s, " ")
	}
	for _, tt := range []struct {
		parallel, maxFail int
		want              string
	}{
		{1, 0, "a=failed b=switched c=failed d=switched e=switched"},
		{1, 1, "a=failed b=skipped c=skipped d=skipped e=skipped"},
		{1, 2, "a=failed b=switched c=failed d=skipped e=skipped"},
		{5, 1, "a=failed b=switched c=failed d=switched e=switched"},
	} {
		var buf bytes.Buffer
		got := outcomes(Fleet(context.Background(), hosts, tt.parallel, tt.maxFail, NewOutput(&buf), one))
		if tt.parallel == 5 && tt.maxFail == 1 {
			// All five start at once, before any has failed, unless a
			// failure came first: a and c failed, the rest did not run
			// or switched.
			if !strings.HasPrefix(got, "a=failed") {
				t.Errorf("--parallel 5 --max-fail 1: %s", got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("--parallel %d --max-fail %d: %s, want %s", tt.parallel, tt.maxFail, got, tt.want)
		}
	}
	// Skipped hosts write nothing; the others one prefixed line.
	var buf bytes.Buffer
	Fleet(context.Background(), hosts, 1, 1, NewOutput(&buf), one)
	if buf.String() != "a: deploying\n" {
		t.Errorf("output %q", buf.String())
	}
}

// TestFleetParallel: at most --parallel hosts at a time.
func TestFleetParallel(t *testing.T) {
	var mu sync.Mutex
	now, peak := 0, 0
	var hosts []Host
	for i := range 12 {
		hosts = append(hosts, Host{Name: fmt.Sprint(i)})
	}
	Fleet(context.Background(), hosts, 3, 0, NewOutput(io.Discard), func(context.Context, Host, *Prefixed) Result {
		mu.Lock()
		now++
		peak = max(peak, now)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		now--
		mu.Unlock()
		return Result{OK: true}
	})
	if peak != 3 {
		t.Errorf("peak %d hosts at once, want 3", peak)
	}
}

func TestParseStatus(t *testing.T) {
	st, ok, err := ParseStatus(StatusPrefix + `{"state":"switched","from":3,"to":4,"changes":2}` + "\n")
	if !ok || err != nil || st != (Status{State: StateSwitched, From: 3, To: 4, Changes: 2}) {
		t.Errorf("%+v %v %v", st, ok, err)
	}
	if _, ok, _ := ParseStatus("web1: switching\n"); ok {
		t.Error("a log line is a status")
	}
	if _, ok, err := ParseStatus(StatusPrefix + `{"state":`); !ok || err == nil {
		t.Errorf("bad JSON: %v %v", ok, err)
	}
	if _, _, err := ParseStatus(StatusPrefix + `{"state":"exploded"}`); err == nil {
		t.Error("unknown state accepted")
	}
}

// TestFollower: log lines pass and are counted; a status line counts as
// the log's when more follows it; the last one is the status.
func TestFollower(t *testing.T) {
	var buf bytes.Buffer
	f := &follower{w: &buf}
	status := StatusPrefix + `{"state":"awaiting-confirm","from":1,"to":2}`
	for _, piece := range []string{"plan", "ning\n", StatusPrefix + "{\"state\":\"running\"}\nswitch", "ed\n", status[:10], status[10:] + "\n"} {
		_, _ = f.Write([]byte(piece))
	}
	st, ok, err := f.end()
	if !ok || err != nil || st.State != StateAwaiting || st.To != 2 {
		t.Errorf("status %+v %v %v", st, ok, err)
	}
	wantLog := "planning\n" + StatusPrefix + "{\"state\":\"running\"}\nswitched\n"
	if buf.String() != wantLog || f.seen != int64(len(wantLog)) {
		t.Errorf("log %q (%d bytes seen)", buf.String(), f.seen)
	}
	// Output that ends mid-line, without a status: the half line is
	// not counted (it comes again, whole).
	_, _ = f.Write([]byte("half a li"))
	if _, ok, _ := f.end(); ok {
		t.Error("a status without one")
	}
	if f.seen != int64(len(wantLog)) {
		t.Errorf("seen %d", f.seen)
	}
}

// fakeHost is a host behind a fake Transport: it answers the commands
// the deploy runs as the protocol says the gocfg there does.
type fakeHost struct {
	mu        sync.Mutex
	t         *testing.T
	files     map[string][]byte // uploaded binaries, by remote command
	received  []byte            // the bundle
	have      map[string]string // the files of the last bundle: path → SHA-256
	sentFiles []string          // the src/ entries of the last bundle
	// noSudo: the login cannot sudo without a password.
	noSudo     bool
	follows    []func(from int) (string, error)
	confirm    []bool // Fresh of each confirm
	refused    int    // --refuse runs
	refuseErr  error  // what --refuse returns
	refuseSays string // what --refuse prints on stderr
	health     error
	cmds       []string
	// stall: a command with this in it answers nothing until ctx ends.
	stall string
	// silent: a follow once follows are used up answers nothing until
	// ctx ends, after calling silent.
	silent func()
}

// fakeHome is the home of the fake host's login user.
const fakeHome = "/home/deploy"

func (f *fakeHost) Close(Host) {}

// probe answers connect's probe, after what a login shell's rc file
// prints (tester AR).
func (f *fakeHost) probe(r Remote, out func(string)) {
	script, _ := io.ReadAll(r.Stdin)
	out("hello from .zshenv\n")
	switch string(script) {
	case probeScript(Host{Become: "sudo"}):
		if f.noSudo {
			out("gocfg-become-failed\n")
		} else {
			out("gocfg-become-ok\n")
		}
	case probeScript(Host{}):
	default:
		f.t.Errorf("the probe: %q", script)
	}
	out("gocfg-probe\nLinux x86_64\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n")
}

// wayCheck answers the way check c: the host's login user is "deploy",
// its folder a plain one.
func (f *fakeHost) wayCheck(c string, r Remote, out func(string)) error {
	script, _ := io.ReadAll(r.Stdin)
	first, rest, _ := strings.Cut(string(script), "\n")
	token, ok := strings.CutPrefix(first, "gocfg_t=")
	if !ok || !strings.HasPrefix(rest, "gocfg_s="+Quote(wayCheck)+"\n") {
		f.t.Errorf("the way check's script: %.80q", script)
	}
	bin := strings.Replace(strings.TrimPrefix(c, "/bin/sh -s "), `"$HOME"/`, fakeHome+"/", 1)
	out(wayFolderPrefix + token + ":" + path.Dir(bin) + "\n")
	if _, ok := f.files[bin]; !ok {
		return &RemoteError{Code: 1}
	}
	return nil
}

// receive takes a bundle: the host keeps the files of its manifest.
func (f *fakeHost) receive(r Remote) {
	f.received, _ = io.ReadAll(r.Stdin)
	tr := tar.NewReader(bytes.NewReader(f.received))
	f.sentFiles = nil
	for {
		hd, err := tr.Next()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(tr)
		if hd.Name == "manifest.json" {
			var m bundle.Manifest
			_ = json.Unmarshal(data, &m)
			f.have = map[string]string{}
			for _, e := range m {
				f.have[e.Path] = e.SHA256
			}
		} else if strings.HasPrefix(hd.Name, "src/") {
			f.sentFiles = append(f.sentFiles, hd.Name)
		}
	}
}

func (f *fakeHost) Run(ctx context.Context, h Host, r Remote) error {
	f.mu.Lock()
	f.cmds = append(f.cmds, r.Command)
	f.mu.Unlock()
	c := r.Command
	out := func(s string) {
		if r.Stdout != nil {
			_, _ = io.WriteString(r.Stdout, s)
		}
	}
	if f.stall != "" && strings.Contains(c, f.stall) {
		<-ctx.Done()
		return ctx.Err()
	}
	switch {
	case c == probeCommand:
		f.probe(r, out)
	case strings.HasPrefix(c, "/bin/sh -s "):
		return f.wayCheck(c, r, out)
	case strings.HasPrefix(c, "/bin/sh -c "+Quote(uploadScript)+" gocfg-upload "):
		data, _ := io.ReadAll(r.Stdin)
		args := strings.Fields(strings.TrimPrefix(c, "/bin/sh -c "+Quote(uploadScript)+" gocfg-upload "))
		if len(args) != 3 || args[2] != strconv.Itoa(len(data)) {
			f.t.Errorf("the upload's arguments %q for %d bytes", args, len(data))
		}
		f.files[args[1]] = data
	case strings.Contains(c, "deploy-agent --missing"):
		var m bundle.Manifest
		if err := json.NewDecoder(r.Stdin).Decode(&m); err != nil {
			f.t.Errorf("--missing: %v", err)
		}
		missing := []string{}
		for _, e := range m {
			if e.Type == bundle.TypeFile && f.have[e.Path] != e.SHA256 {
				missing = append(missing, e.Path)
			}
		}
		js, _ := json.Marshal(missing)
		out(string(js) + "\n")
	case strings.Contains(c, "deploy-agent --receive"):
		f.receive(r)
	case strings.Contains(c, "deploy-agent --detach"):
	case strings.Contains(c, "deploy-agent --follow"):
		from := 0
		if m := regexp.MustCompile(`--from ([0-9]+)`).FindStringSubmatch(c); m != nil {
			fmt.Sscan(m[1], &from)
		}
		f.mu.Lock()
		if len(f.follows) == 0 && f.silent != nil {
			f.mu.Unlock()
			f.silent()
			<-ctx.Done()
			return ctx.Err()
		}
		next := f.follows[0]
		f.follows = f.follows[1:]
		f.mu.Unlock()
		s, err := next(from)
		out(s)
		return err
	case strings.Contains(c, "deploy-agent --confirm"):
		f.confirm = append(f.confirm, r.Fresh)
	case strings.Contains(c, "deploy-agent --refuse"):
		f.refused++
		if r.Stderr != nil {
			_, _ = io.WriteString(r.Stderr, f.refuseSays)
		}
		return f.refuseErr
	case strings.Contains(c, " switch --dry-run --bundle ") || strings.Contains(c, " switch --dry-run --backup-ext .bak --bundle "):
		out("gocfg will make these changes:\n  ~ file:/etc/motd\n")
		if r.Stderr != nil {
			_, _ = io.WriteString(r.Stderr, "gocfg: dry run: nothing was changed\n")
		}
	case strings.HasSuffix(c, " generations list --json"):
		out(`[{"number":3,"current":false},{"number":7,"current":true}]`)
	case strings.HasSuffix(c, " rollback"):
		out("gocfg will make these changes to return to generation 3:\n  ~ file:/etc/motd\n\nGeneration 3 is current.\n")
	case c == "health":
		return f.health
	default:
		f.t.Errorf("unexpected command %q", c)
		return &RemoteError{Code: 127}
	}
	return nil
}

func status(st Status) string {
	return fmt.Sprintf("%s{\"state\":%q,\"from\":%d,\"to\":%d,\"changes\":%d,\"error\":%q}\n", StatusPrefix, st.State, st.From, st.To, st.Changes, st.Error)
}

func newDeployer(t *testing.T, fh *fakeHost) *Deployer {
	bin := filepath.Join(t.TempDir(), "gocfg")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return &Deployer{
		T: fh, RunID: "run1", RetryEvery: time.Millisecond,
		Binary: func(os, arch string) (string, error) { return bin, nil },
		Prepare: func(_ context.Context, h Host, f Facts, _ io.Writer) (*bundle.Bundle, error) {
			return &bundle.Bundle{Meta: bundle.Meta{Host: h.Name}, Config: []byte(`{"os":"` + f.OS + `"}`)}, nil
		},
	}
}

// TestDeployerSwitch: a host switched, checked and confirmed over a new
// connection; the follow resumes where a dropped connection left it; the
// binary is sent once.
func TestDeployerSwitch(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}}
	fh.follows = []func(int) (string, error){
		func(from int) (string, error) {
			if from != 0 {
				t.Errorf("first follow from %d", from)
			}
			return "planning\nswi", &RemoteError{Code: 255, Stderr: "Connection reset"}
		},
		func(from int) (string, error) {
			if from != len("planning\n") {
				t.Errorf("second follow from %d", from)
			}
			return "switching\n" + status(Status{State: StateAwaiting, From: 1, To: 2, Changes: 3}), nil
		},
		func(from int) (string, error) {
			return "confirmed\n" + status(Status{State: StateSwitched, From: 1, To: 2, Changes: 3}), nil
		},
	}
	d := newDeployer(t, fh)
	var buf bytes.Buffer
	out := NewOutput(&buf)
	h := Host{Name: "web1", Target: "web1", Become: "sudo", MagicRollback: true, ConfirmTimeout: 30 * time.Second,
		HealthChecks: []HealthCheck{{Command: "health", Timeout: time.Second}}}
	rs := d.Run(context.Background(), []Host{h}, 1, 0, out)
	r := rs[0]
	if !r.OK || r.Outcome != Switched || r.From != 1 || r.To != 2 || r.Changes != 3 {
		t.Errorf("result %+v\n%s", r, buf.String())
	}
	if len(fh.confirm) != 1 || !fh.confirm[0] {
		t.Errorf("confirmations (Fresh) %v", fh.confirm)
	}
	for _, want := range []string{"web1: planning\n", "web1: switching\n", "web1: health check health: passed\n", "web1: confirming over a new connection\n", "web1: confirmed\n", "web1: the connection dropped; reconnecting\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
	if !bytes.Contains(fh.received, []byte(`{"os":"linux"}`)) {
		t.Errorf("the bundle sent is not the host's: %q", fh.received)
	}
	cmds := strings.Join(fh.cmds, "\n")
	for _, want := range []string{
		`sudo -n /home/deploy/.cache/gocfg/deploy/gocfg-`,
		`deploy-agent --receive /home/deploy/.cache/gocfg/deploy/run-run1`,
		`deploy-agent --detach --confirm-timeout 30 /home/deploy/.cache/gocfg/deploy/run-run1`,
		`deploy-agent --follow --from 9 /home/deploy/.cache/gocfg/deploy/run-run1`,
	} {
		if !strings.Contains(cmds, want) {
			t.Errorf("no command with %s in\n%s", want, cmds)
		}
	}
	if len(fh.files) != 1 {
		t.Errorf("binaries sent: %d", len(fh.files))
	}

	// A second deploy finds the binary there and sends none.
	fh.cmds = nil
	fh.follows = []func(int) (string, error){func(int) (string, error) {
		return status(Status{State: StateNoChanges, From: 2, To: 2}), nil
	}}
	h.MagicRollback = false
	rs = d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(io.Discard))
	if r := rs[0]; !r.OK || r.Outcome != NoChanges {
		t.Errorf("second: %+v", r)
	}
	if cmds := strings.Join(fh.cmds, "\n"); strings.Contains(cmds, "cat >") || !strings.Contains(cmds, "--confirm-timeout 0 ") {
		t.Errorf("second deploy's commands:\n%s", cmds)
	}
}

// TestDeployerHealthFails: a failing check is not confirmed; the host's
// roll back is reported with the check.
func TestDeployerHealthFails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	// What a redirect leads to is not asked (tester AS: a compromised
	// host sent the deploying machine to an address only it reaches).
	var followed atomic.Int32
	inside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
	}))
	defer inside.Close()
	redirect := httptest.NewServer(http.RedirectHandler(inside.URL+"/admin/delete?all=1", http.StatusFound))
	defer redirect.Close()
	defer func() {
		if n := followed.Load(); n != 0 {
			t.Errorf("the redirect was followed %d times", n)
		}
	}()
	for _, tt := range []struct {
		name  string
		check HealthCheck
		want  string
	}{
		{"command", HealthCheck{Command: "health", Timeout: time.Second}, "health check health: exit status 1"},
		{"url", HealthCheck{URL: srv.URL, Timeout: time.Second}, "health check " + srv.URL + ": answered 503 Service Unavailable"},
		{"redirect", HealthCheck{URL: redirect.URL, Timeout: time.Second}, "health check " + redirect.URL + `: answered 302 Found, a redirect to "` + inside.URL + `/admin/delete?all=1", which health checks do not follow: give the URL that answers 2xx`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fh := &fakeHost{t: t, files: map[string][]byte{}, health: &RemoteError{Code: 1}}
			fh.follows = []func(int) (string, error){
				func(int) (string, error) { return status(Status{State: StateAwaiting, From: 1, To: 2}), nil },
				func(int) (string, error) {
					return status(Status{State: StateRolledBack, From: 1, To: 2, Error: "not confirmed in 30s"}), nil
				},
			}
			d := newDeployer(t, fh)
			h := Host{Name: "web1", Target: "web1", MagicRollback: true, ConfirmTimeout: 30 * time.Second, HealthChecks: []HealthCheck{tt.check}}
			r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(io.Discard))[0]
			if r.OK || r.Outcome != RolledBack || r.Why != tt.want {
				t.Errorf("%+v, want rolled back: %s", r, tt.want)
			}
			if len(fh.confirm) != 0 {
				t.Error("confirmed")
			}
			if fh.refused != 1 {
				t.Errorf("--refuse ran %d times, want once", fh.refused)
			}
		})
	}
}

// TestDeployerRefuseFails: when --refuse does not get through, the deploy
// follows the agent until it rolls back by itself, pausing between
// follows instead of spinning, and refuses once.
func TestDeployerRefuseFails(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}, health: &RemoteError{Code: 1}, refuseErr: &RemoteError{Code: 255, Stderr: "Connection reset"}}
	awaiting := func(int) (string, error) { return status(Status{State: StateAwaiting, From: 1, To: 2}), nil }
	fh.follows = []func(int) (string, error){awaiting, awaiting, awaiting, func(int) (string, error) {
		return status(Status{State: StateRolledBack, From: 1, To: 2, Error: "not confirmed within 30s"}), nil
	}}
	d := newDeployer(t, fh)
	d.RetryEvery = 20 * time.Millisecond
	var buf bytes.Buffer
	h := Host{Name: "web1", Target: "web1", MagicRollback: true, ConfirmTimeout: 30 * time.Second, HealthChecks: []HealthCheck{{Command: "health", Timeout: time.Second}}}
	start := time.Now()
	r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(&buf))[0]
	if r.OK || r.Outcome != RolledBack || r.Why != "health check health: exit status 1" {
		t.Errorf("%+v", r)
	}
	if fh.refused != 1 || len(fh.follows) != 0 {
		t.Errorf("--refuse ran %d times; %d follows left", fh.refused, len(fh.follows))
	}
	if took := time.Since(start); took < 40*time.Millisecond {
		t.Errorf("followed 4 times in %s: no pause between them", took)
	}
	wantOut := "web1: not confirmed (health check health: exit status 1), and could not tell the host (ssh failed: Connection reset): waiting for it to roll back by itself\n"
	if !strings.Contains(buf.String(), wantOut) {
		t.Errorf("output lacks %q:\n%s", wantOut, buf.String())
	}
}

// TestDeployerAwaitsAfterConfirm (tester AS): a host that still says it
// awaits confirmation after it was confirmed is confirmed once, followed
// with a pause between follows, and reported failed once its
// confirm_timeout and a minute have passed; before, it got a health
// check and a fresh login each time, forever.
func TestDeployerAwaitsAfterConfirm(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}}
	clock := time.Unix(0, 0)
	var mu sync.Mutex
	awaiting := func(int) (string, error) {
		mu.Lock()
		clock = clock.Add(10 * time.Second)
		mu.Unlock()
		return status(Status{State: StateAwaiting, From: 1, To: 2}), nil
	}
	for range 100 {
		fh.follows = append(fh.follows, awaiting)
	}
	d := newDeployer(t, fh)
	d.RetryEvery = time.Millisecond
	d.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	var buf bytes.Buffer
	h := Host{Name: "web1", Target: "web1", MagicRollback: true, ConfirmTimeout: 30 * time.Second, HealthChecks: []HealthCheck{{Command: "health", Timeout: time.Second}}}
	r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(&buf))[0]
	if r.OK || r.Outcome != Failed || !strings.Contains(r.Why, "still says it awaits confirmation 1m30s after it was confirmed") {
		t.Errorf("%+v\n%s", r, buf.String())
	}
	if len(fh.confirm) != 1 {
		t.Errorf("confirmed %d times, want once", len(fh.confirm))
	}
	if n := 100 - len(fh.follows); n != 10 {
		t.Errorf("followed %d times, want 10 (the first, then one every 10s of the clock until 90s past confirm)", n)
	}
}

// TestDeployerStalls (tester AS): a host that stops answering, connected,
// in a short step fails that step after StepTimeout, saying which, and
// the next host is deployed; before, one such host held the deploy
// forever.
func TestDeployerStalls(t *testing.T) {
	for _, tt := range []struct{ stall, want string }{
		{probeCommand, "the host did not finish the probe within 50ms"},
		{"/bin/sh -s ", "the host did not finish the check of the deploy folder within 50ms"},
		{"--detach", "starting the switch: the host did not finish deploy-agent --detach within 50ms; it may have started there, detached, and stands if it succeeds (magic_rollback is off): see gocfg status on it"},
	} {
		t.Run(tt.stall, func(t *testing.T) {
			fh := &fakeHost{t: t, files: map[string][]byte{}, stall: tt.stall}
			d := newDeployer(t, fh)
			d.StepTimeout = 50 * time.Millisecond
			var buf bytes.Buffer
			r := d.Run(context.Background(), []Host{{Name: "web1", Target: "web1"}}, 1, 0, NewOutput(&buf))[0]
			if r.OK || !strings.Contains(r.Why, tt.want) {
				t.Errorf("%+v, want: %s\n%s", r, tt.want, buf.String())
			}
		})
	}
}

// TestDeployerConfirmTimedOut (reviewer R16): a confirmation that timed
// out here but got through there: --refuse says it came too late, the
// deploy says so rather than that the host rolls back, and the host's
// state (switched) is the result.
func TestDeployerConfirmTimedOut(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}, stall: "deploy-agent --confirm ",
		refuseErr: &RemoteError{Code: 1}, refuseSays: "gocfg: error: too late: the switch was confirmed first (the deploy agent is switched)\n"}
	fh.follows = []func(int) (string, error){
		func(int) (string, error) { return status(Status{State: StateAwaiting, From: 1, To: 2}), nil },
		func(int) (string, error) { return status(Status{State: StateSwitched, From: 1, To: 2}), nil },
	}
	d := newDeployer(t, fh)
	d.StepTimeout = 50 * time.Millisecond
	var buf bytes.Buffer
	h := Host{Name: "web1", Target: "web1", MagicRollback: true, ConfirmTimeout: 30 * time.Second}
	r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(&buf))[0]
	if !r.OK || r.Outcome != Switched {
		t.Errorf("%+v\n%s", r, buf.String())
	}
	if want := "web1: not confirmed (could not confirm over a new connection: the host did not finish deploy-agent --confirm within 50ms), but the host took the confirmation first\n"; !strings.Contains(buf.String(), want) || strings.Contains(buf.String(), "roll back by itself") {
		t.Errorf("output lacks %q:\n%s", want, buf.String())
	}
}

// TestDeployerSilentAfterConfirm (tester AT): a host whose --follow says
// nothing once confirmed is reported after its confirm_timeout and
// Reconnect; an interruption then says the switch was confirmed.
func TestDeployerSilentAfterConfirm(t *testing.T) {
	h := Host{Name: "web1", Target: "web1", MagicRollback: true, ConfirmTimeout: 10 * time.Millisecond}
	awaiting := func(int) (string, error) { return status(Status{State: StateAwaiting, From: 1, To: 2}), nil }

	fh := &fakeHost{t: t, files: map[string][]byte{}, silent: func() {}}
	fh.follows = []func(int) (string, error){awaiting}
	d := newDeployer(t, fh)
	d.Reconnect = 50 * time.Millisecond
	var buf bytes.Buffer
	r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(&buf))[0]
	if r.OK || r.Outcome != Failed || !strings.Contains(r.Why, "the host did not say how its confirmed switch ended within 60ms") {
		t.Errorf("%+v\n%s", r, buf.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fh = &fakeHost{t: t, files: map[string][]byte{}, silent: cancel}
	fh.follows = []func(int) (string, error){awaiting}
	d = newDeployer(t, fh)
	r = d.Run(ctx, []Host{h}, 1, 0, NewOutput(&buf))[0]
	if r.Outcome != Interrupted || r.Why != "after its switch was confirmed, which stands to generation 2" {
		t.Errorf("interrupted after the confirmation: %+v", r)
	}
}

// TestDeployerLostAfterConfirm (reviewer R17): a host whose connection
// keeps dropping once confirmed is unreachable, with ssh's reason and
// its generations, as before the confirmation; one that reconnects and
// says switched is switched; a pause that passes the bound reports it,
// with no negative time left.
func TestDeployerLostAfterConfirm(t *testing.T) {
	h := Host{Name: "web1", Target: "web1", MagicRollback: true, ConfirmTimeout: 20 * time.Millisecond}
	awaiting := func(int) (string, error) {
		return status(Status{State: StateAwaiting, From: 1, To: 2, Changes: 3}), nil
	}
	drop := func(int) (string, error) { return "", &RemoteError{Code: 255, Stderr: "Connection reset"} }
	run := func(follows ...func(int) (string, error)) Result {
		fh := &fakeHost{t: t, files: map[string][]byte{}, silent: func() {}}
		fh.follows = follows
		d := newDeployer(t, fh)
		d.Reconnect, d.RetryEvery = 50*time.Millisecond, 5*time.Millisecond
		var buf bytes.Buffer
		r := d.Run(context.Background(), []Host{h}, 1, 0, NewOutput(&buf))[0]
		t.Logf("%+v\n%s", r, buf.String())
		return r
	}
	drops := []func(int) (string, error){awaiting}
	for range 200 {
		drops = append(drops, drop)
	}
	if r := run(drops...); r.Outcome != Unreachable || !strings.Contains(r.Why, "Connection reset") || r.From != 1 || r.To != 2 || r.Changes != 3 {
		t.Errorf("dropped for good after the confirmation: %+v", r)
	}
	if r := run(awaiting, drop, func(int) (string, error) {
		return status(Status{State: StateSwitched, From: 1, To: 2, Changes: 3}), nil
	}); !r.OK || r.Outcome != Switched {
		t.Errorf("dropped once after the confirmation: %+v", r)
	}
	late := func(int) (string, error) {
		time.Sleep(45 * time.Millisecond)
		return status(Status{State: StateAwaiting, From: 1, To: 2}), nil
	}
	if r := run(awaiting, late, late); r.Outcome != Failed || strings.Contains(r.Why, "-") || !strings.Contains(r.Why, "still says it awaits confirmation") {
		t.Errorf("a pause past the bound: %+v", r)
	}
}

// TestDeployerUnreachable: a host ssh cannot reach is unreachable, with
// ssh's reason.
func TestDeployerUnreachable(t *testing.T) {
	d := newDeployer(t, nil)
	d.T = unreachable{}
	r := d.Run(context.Background(), []Host{{Name: "web1"}}, 1, 0, NewOutput(io.Discard))[0]
	if r.OK || r.Outcome != Unreachable || r.Why != "ssh failed: connect to host web1 port 22: Connection refused" {
		t.Errorf("%+v", r)
	}
}

type unreachable struct{}

func (unreachable) Close(Host) {}
func (unreachable) Run(context.Context, Host, Remote) error {
	return &RemoteError{Code: 255, Stderr: "connect to host web1 port 22: Connection refused"}
}

// TestDeployerSendsOnlyMissing: the deploy sends the source files the
// host's last bundle lacks, and says how many bytes: all at first, none
// when nothing changed, the changed one only.
func TestDeployerSendsOnlyMissing(t *testing.T) {
	repo := t.TempDir()
	for name, text := range map[string]string{"zshrc": "export A=1\n", "motd": "v1\n", "big": strings.Repeat("x", 10000)} {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fh := &fakeHost{t: t, files: map[string][]byte{}}
	d := newDeployer(t, fh)
	d.Prepare = func(_ context.Context, h Host, f Facts, _ io.Writer) (*bundle.Bundle, error) {
		return &bundle.Bundle{Meta: bundle.Meta{Host: h.Name}, Config: []byte(`{}`), Sources: []string{repo}}, nil
	}
	deploy := func() (Result, string) {
		t.Helper()
		fh.follows = []func(int) (string, error){func(int) (string, error) {
			return status(Status{State: StateNoChanges, From: 1, To: 1}), nil
		}}
		var buf bytes.Buffer
		r := d.Run(context.Background(), []Host{{Name: "web1", Target: "web1"}}, 1, 0, NewOutput(&buf))[0]
		if !r.OK {
			t.Fatalf("%+v\n%s", r, buf.String())
		}
		return r, buf.String()
	}
	r, out := deploy()
	if r.SentFiles != 3 || r.SentBytes != int64(10000+len("export A=1\n")+len("v1\n")) || len(fh.sentFiles) != 3 {
		t.Errorf("first: sent %d files, %d bytes (%v)", r.SentFiles, r.SentBytes, fh.sentFiles)
	}
	wantOut := "web1: sending the configuration and 3 of its 3 source files (10014 bytes)\n"
	if !strings.Contains(out, wantOut) {
		t.Errorf("output lacks %q:\n%s", wantOut, out)
	}
	first := r.StreamBytes
	if first < 10000 || first != int64(len(fh.received)) {
		t.Errorf("first: a stream of %d bytes, the host read %d", first, len(fh.received))
	}
	r, _ = deploy()
	if r.SentFiles != 0 || r.SentBytes != 0 || len(fh.sentFiles) != 0 {
		t.Errorf("second: sent %d files, %d bytes (%v)", r.SentFiles, r.SentBytes, fh.sentFiles)
	}
	if r.StreamBytes >= first-10000 || r.StreamBytes != int64(len(fh.received)) {
		t.Errorf("second: a stream of %d bytes (the first: %d)", r.StreamBytes, first)
	}
	t.Logf("figure: the stream of a deploy of 3 unchanged files: %d bytes (all sent: %d)", r.StreamBytes, first)
	if err := os.WriteFile(filepath.Join(repo, "motd"), []byte("v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, _ = deploy()
	if want := "src" + filepath.ToSlash(filepath.Join(repo, "motd")); r.SentFiles != 1 || r.SentBytes != 3 || len(fh.sentFiles) != 1 || fh.sentFiles[0] != want {
		t.Errorf("one changed: sent %d files, %d bytes (%v)", r.SentFiles, r.SentBytes, fh.sentFiles)
	}
	// The result carries the figures.
	js, _ := json.Marshal(r)
	if !strings.Contains(string(js), `"sent_files":1,"sent_bytes":3,"stream_bytes":`) {
		t.Errorf("JSON %s", js)
	}
}

// TestDeployerBackupExt: deploy --backup-ext reaches the host's agent,
// whose switch takes it (deploy-agent's own test: deploy_agent_backup).
func TestDeployerBackupExt(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}}
	fh.follows = []func(int) (string, error){func(int) (string, error) {
		return status(Status{State: StateSwitched, From: 1, To: 2, Changes: 1}), nil
	}}
	d := newDeployer(t, fh)
	d.BackupExt = ".bak"
	var buf bytes.Buffer
	if r := d.Run(context.Background(), []Host{{Name: "web1", Target: "web1"}}, 1, 0, NewOutput(&buf))[0]; !r.OK {
		t.Errorf("%+v\n%s", r, buf.String())
	}
	if cmds := strings.Join(fh.cmds, "\n"); !strings.Contains(cmds, `deploy-agent --detach --confirm-timeout 0 --backup-ext .bak /home/deploy/.cache/gocfg/deploy/run-run1`) {
		t.Errorf("commands:\n%s", cmds)
	}
}

// TestDeployerRollback: --rollback rolls the host back and its row says
// from which generation to which (tester P: it said neither).
func TestDeployerRollback(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}}
	d := newDeployer(t, fh)
	d.Mode = ModeRollback
	var buf bytes.Buffer
	r := d.Run(context.Background(), []Host{{Name: "web1", Target: "web1", Become: "sudo"}}, 1, 0, NewOutput(&buf))[0]
	if !r.OK || r.Outcome != RolledBack || r.From != 7 || r.To != 3 {
		t.Errorf("%+v\n%s", r, buf.String())
	}
	if !strings.Contains(buf.String(), "web1: Generation 3 is current.\n") {
		t.Errorf("the host's output:\n%s", buf.String())
	}
	var table bytes.Buffer
	_ = WriteTable(&table, []Result{r})
	if !strings.Contains(table.String(), "web1  7 → 3       -        ") {
		t.Errorf("table:\n%s", table.String())
	}
}

// TestDeployerDryRun: --dry-run runs the host's switch as a dry run, in
// the foreground (no agent), shows its plan with the host's prefix, and
// reports no change count.
func TestDeployerDryRun(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}}
	d := newDeployer(t, fh)
	d.Mode = ModeDryRun
	var buf bytes.Buffer
	r := d.Run(context.Background(), []Host{{Name: "web1", Target: "web1", Become: "sudo"}}, 1, 0, NewOutput(&buf))[0]
	if !r.OK || r.Outcome != DryRun {
		t.Errorf("%+v\n%s", r, buf.String())
	}
	for _, want := range []string{"web1: gocfg will make these changes:\n", "web1:   ~ file:/etc/motd\n", "web1: gocfg: dry run: nothing was changed\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
	cmds := strings.Join(fh.cmds, "\n")
	if !strings.Contains(cmds, `sudo -n /home/deploy/.cache/gocfg/deploy/gocfg-`) || !strings.Contains(cmds, ` switch --dry-run --bundle /home/deploy/.cache/gocfg/deploy/run-run1`) {
		t.Errorf("commands:\n%s", cmds)
	}
	if strings.Contains(cmds, "--detach") || strings.Contains(cmds, "--follow") {
		t.Errorf("a dry run started the agent:\n%s", cmds)
	}
	var table bytes.Buffer
	_ = WriteTable(&table, []Result{r})
	if !strings.Contains(table.String(), "web1  -           -        ") {
		t.Errorf("table:\n%s", table.String())
	}

	// deploy --backup-ext passes it on to the host's switch.
	fh.cmds = nil
	d.BackupExt = ".bak"
	if r := d.Run(context.Background(), []Host{{Name: "web1", Target: "web1", Become: "sudo"}}, 1, 0, NewOutput(&buf))[0]; !r.OK {
		t.Errorf("with --backup-ext: %+v", r)
	}
	if cmds := strings.Join(fh.cmds, "\n"); !strings.Contains(cmds, ` switch --dry-run --backup-ext .bak --bundle /home/deploy/.cache/gocfg/deploy/run-run1`) {
		t.Errorf("with --backup-ext, commands:\n%s", cmds)
	}
}

func TestParseProbe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Linux x86_64\nID=debian\nVERSION_ID=\"12\"\n", "linux amd64 debian"},
		{"Linux aarch64\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n", "linux arm64 fedora"},
		{"Linux x86_64\n", "linux amd64 linux"},
		{"Darwin arm64\n", "darwin arm64 macos"},
		// A hostile host's ID that would lead a source path built from
		// host.distro out of its folder (tester AS): none.
		{"Linux x86_64\nID=\"..\"\n", "linux amd64 linux"},
		{"Linux x86_64\nID=\"../../.ssh\"\n", "linux amd64 linux"},
	} {
		f, err := ParseProbe(tt.in)
		if got := f.OS + " " + f.Arch + " " + f.Distro; err != nil || got != tt.want {
			t.Errorf("ParseProbe(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := ParseProbe("FreeBSD amd64\n"); err == nil {
		t.Error("FreeBSD accepted")
	}
}

// TestFailureReason: ssh's "Host key verification failed." says whether
// the key changed (with ssh's own command to forget the old one) or is
// not known, rather than passing for a host that cannot be reached.
func TestFailureReason(t *testing.T) {
	changed := `@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @
@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@
IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!
Offending ED25519 key in /home/ops/.ssh/known_hosts:3
  remove with:
  ssh-keygen -f "/home/ops/.ssh/known_hosts" -R "web1"
Host key verification failed.
`
	for _, tt := range []struct{ stderr, want string }{
		{changed, `host key verification failed: the host's key changed since known_hosts recorded it; unless you know why (a reinstalled host: then check the new key and forget the old one with ssh-keygen -f "/home/ops/.ssh/known_hosts" -R "web1"), do not deploy to it`},
		{"No ED25519 host key is known for web1 and you have requested strict checking.\nHost key verification failed.\n",
			"host key verification failed: known_hosts has no key for the host, or not the one it offers; check its key and add it to known_hosts"},
		{"ssh: connect to host web1 port 22: Connection refused\r\n", "ssh: connect to host web1 port 22: Connection refused"},
		// A gocfg that failed on the host: its error, not its hints.
		{"gocfg: error: /etc/motd: a file is in the way\ngocfg: hint: move it away\ngocfg: hint: nothing was changed\n", "/etc/motd: a file is in the way"},
	} {
		tb := &tailBuffer{max: 2048}
		_, _ = tb.Write([]byte(tt.stderr))
		if got := failureReason(tb); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.stderr, got, tt.want)
		}
	}
}

// TestDeployerNoPasswordlessSudo: a login that cannot become root
// without a password fails at the connection, saying what to do, before
// gocfg or the configuration is sent (tester P: after the 28 MB upload,
// "sudo: a password is required" twice).
func TestDeployerNoPasswordlessSudo(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}, noSudo: true}
	d := newDeployer(t, fh)
	var buf bytes.Buffer
	r := d.Run(context.Background(), []Host{{Name: "db1", Target: "db1", User: "nosudo", Become: "sudo"}}, 1, 0, NewOutput(&buf))[0]
	if r.OK || r.Outcome != Failed || !strings.Contains(r.Why, "sudo -n true failed: nosudo cannot become root without a password; give it passwordless sudo") {
		t.Errorf("%+v", r)
	}
	if len(fh.files) > 0 || fh.received != nil || len(fh.cmds) != 1 {
		t.Errorf("sent %d binaries, a bundle %v, after %d commands: %q", len(fh.files), fh.received != nil, len(fh.cmds), fh.cmds)
	}
}
