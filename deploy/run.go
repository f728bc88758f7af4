package deploy

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/deploy/bundle"
	"github.com/gocfg/gocfg/modules"
)

// Mode is what a deploy does on each host.
type Mode int

const (
	// ModeSwitch switches each host to its configuration (gocfg deploy).
	ModeSwitch Mode = iota
	// ModePlan shows each host's plan against its live machine and
	// changes nothing (--plan).
	ModePlan
	// ModeRollback rolls each host back to its previous generation
	// (--rollback).
	ModeRollback
	// ModeDryRun runs each host's switch as a dry run: it prints the plan
	// and changes nothing (--dry-run).
	ModeDryRun
)

// Facts are what the deploy learns of a host when it connects: the
// values of host.os, host.arch and host.distro for its evaluation.
type Facts struct {
	OS, Arch string
	// Distro is the distribution family from the host's os-release
	// (modules.DistroFamily).
	Distro string
}

// A Deployer deploys hosts over a Transport.
type Deployer struct {
	T    Transport
	Mode Mode
	// Check, when set, looks at h's configuration before the deploy
	// connects to h (a source file the repository lacks): an error fails
	// h without connecting to it; diagnostics go to w. A rollback does
	// not check.
	Check func(ctx context.Context, h Host, w io.Writer) error
	// Prepare evaluates h's configuration with its facts on this machine
	// and returns the bundle to send it; diagnostics go to w.
	Prepare func(ctx context.Context, h Host, f Facts, w io.Writer) (*bundle.Bundle, error)
	// Binary is the local gocfg binary for a host's OS and architecture,
	// or an error that says how to provide one.
	Binary func(os, arch string) (string, error)
	// RunID names this deploy's folders on the hosts (NewRunID).
	RunID string
	// HTTP fetches the url health checks (nil: a default client).
	HTTP *http.Client
	// Reconnect is how long --follow keeps trying to reconnect after a
	// lost connection, on top of the host's confirm_timeout (0: a
	// minute); RetryEvery is the pause between tries (0: a second).
	Reconnect, RetryEvery time.Duration
	// StepTimeout bounds each short step on a host (the probe, the way
	// check, --missing, --detach, --confirm, --refuse, generations list;
	// 0: stepTimeout): a host that stops answering, connected, must not
	// hold its slot of the fleet forever (tester AS). The steps whose
	// length depends on the work (the upload, the switch itself) are
	// not bounded: Ctrl-C stops them.
	StepTimeout time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// BackupExt, when set, is the --backup-ext of each host's switch,
	// plan, dry run or rollback: an unmanaged file in the way of a
	// managed one is moved to <path>BackupExt (gocfg switch --help).
	BackupExt string

	// binaries: each local binary, read once, hashed and sent as read.
	binaries binaryCache
}

// backupArgs are the flags that pass BackupExt on: none without it.
func (d *Deployer) backupArgs() []string {
	if d.BackupExt == "" {
		return nil
	}
	return []string{"--backup-ext", d.BackupExt}
}

// NewRunID is a name for one deploy's folders: the time and a random
// suffix.
func NewRunID(now time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// The folder on each host (below the login user's home) that holds the
// uploaded binaries and the deploys' folders.
const remoteDir = ".cache/gocfg/deploy"

// stepTimeout is Deployer.StepTimeout's default.
const stepTimeout = 2 * time.Minute

// runStep runs r on h as a short step, what (for the message): within
// StepTimeout, after which it fails with a *StepTimeoutError.
func (d *Deployer) runStep(ctx context.Context, h Host, r Remote, what string) error {
	return d.runStepFor(ctx, h, r, what, 0)
}

// runStepFor is runStep given more time: StepTimeout and more.
func (d *Deployer) runStepFor(ctx context.Context, h Host, r Remote, what string, more time.Duration) error {
	limit := d.StepTimeout
	if limit == 0 {
		limit = stepTimeout
	}
	limit += more
	sctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err := d.T.Run(sctx, h, r)
	if err != nil && ctx.Err() == nil && errors.Is(sctx.Err(), context.DeadlineExceeded) {
		return &StepTimeoutError{What: what, Limit: limit}
	}
	return err
}

// A StepTimeoutError is a short step on a host that did not finish in
// time.
type StepTimeoutError struct {
	What  string
	Limit time.Duration
}

func (e *StepTimeoutError) Error() string {
	return fmt.Sprintf("the host did not finish %s within %s", e.What, e.Limit)
}

func (d *Deployer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// Run deploys hosts (see Fleet) and returns their results.
func (d *Deployer) Run(ctx context.Context, hosts []Host, parallel, maxFail int, out *Output) []Result {
	return Fleet(ctx, hosts, parallel, maxFail, out, d.Host)
}

// Host deploys one host; what happens is written to w. A deploy
// interrupted (ctx ends) while h is under way reports h Interrupted, with
// what becomes of it (interrupted), unless h had come to its end.
func (d *Deployer) Host(ctx context.Context, h Host, w *Prefixed) Result {
	start := d.now()
	var at stage
	r := d.host(ctx, h, w, &at)
	if ctx.Err() != nil && !r.settled {
		r = interrupted(h, at, r)
	}
	r.Host = h.Name
	r.Took = d.now().Sub(start)
	if r.Outcome != Unreachable && r.Outcome != Skipped && r.Why != "" {
		// The first line: the agent printed the whole reason already.
		first, _, _ := strings.Cut(r.Text(), "\n")
		fmt.Fprintf(w, "%s\n", first)
	}
	if d.T != nil {
		d.T.Close(h)
	}
	return r
}

func failed(why string, args ...any) Result {
	return Result{Outcome: Failed, Why: fmt.Sprintf(why, args...)}
}

// badConfig is the result of a host whose configuration is wrong: not
// something an interruption did.
func badConfig(err error) Result {
	r := failed("evaluating its configuration: %v", err)
	r.settled = true
	return r
}

// host deploys h; at follows how far it went.
func (d *Deployer) host(ctx context.Context, h Host, w *Prefixed, at *stage) Result {
	if d.Check != nil && d.Mode != ModeRollback {
		if err := d.Check(ctx, h, w); err != nil {
			return badConfig(err)
		}
	}
	facts, err := d.connect(ctx, h)
	if err != nil {
		if Connection(err) {
			return Result{Outcome: Unreachable, Why: err.Error()}
		}
		return failed("%v", err)
	}
	fmt.Fprintf(w, "connected: %s/%s\n", facts.OS, facts.Arch)
	*at = stagePreparing
	if d.Mode == ModeRollback {
		bin, _, err := d.ensureBinary(ctx, h, facts, w)
		if err != nil {
			return failed("%v", err)
		}
		return d.rollback(ctx, h, bin, w, at)
	}

	b, err := d.Prepare(ctx, h, facts, w)
	if err != nil {
		return badConfig(err)
	}
	bin, folder, err := d.ensureBinary(ctx, h, facts, w)
	if err != nil {
		return failed("%v", err)
	}
	dir := Raw(Quote(folder + "/run-" + d.RunID))
	s, err := d.send(ctx, h, b, bin, dir, w)
	if err != nil {
		r := failed("sending the configuration: %v", err)
		r.SentBytes, r.StreamBytes = s.bytes, s.stream
		return r
	}
	r := d.apply(ctx, h, bin, dir, w, at)
	r.SentFiles, r.SentBytes, r.StreamBytes = s.files, s.bytes, s.stream
	return r
}

// apply plans or switches h to the bundle received in dir.
func (d *Deployer) apply(ctx context.Context, h Host, bin, dir Raw, w *Prefixed, at *stage) Result {
	if d.Mode == ModeDryRun || d.Mode == ModePlan {
		*at = stageLooking
	}
	if d.Mode == ModeDryRun {
		// In the foreground: nothing changes, nothing to detach from.
		err := d.T.Run(ctx, h, Remote{Command: Shell(BecomeArgs(h), bin, "switch", "--dry-run", d.backupArgs(), "--bundle", dir), Stdout: w, Stderr: w})
		if err != nil {
			return failed("gocfg switch --dry-run: %v", err)
		}
		return Result{Outcome: DryRun, OK: true, settled: true}
	}
	if d.Mode == ModePlan {
		err := d.T.Run(ctx, h, Remote{Command: Shell(BecomeArgs(h), bin, "plan", d.backupArgs(), "--bundle", dir), Stdout: w, Stderr: w})
		// Only the plan's own exit status 3 (a conflict held) is not
		// a failure. Its folder stays: it is the host's last bundle,
		// whose files the next deploy need not send.
		var re *RemoteError
		if err != nil && !(errors.As(err, &re) && re.Code == 3) {
			return failed("gocfg plan: %v", err)
		}
		return Result{Outcome: Planned, OK: true, settled: true}
	}
	return d.switchHost(ctx, h, bin, dir, w, at)
}

// probe is what connect runs on a host: its OS and architecture on the
// first line, then its os-release (none on macOS).
const probe = "uname -s -m; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null || true"

// probeCommand is the command line that runs the probe, which it reads
// on standard input.
const probeCommand = "/bin/sh -s"

// connect makes the session's connection to h and reads its OS,
// architecture and distribution.
//
// With become (sudo, doas), the probe first asks it, without a password,
// to run true: a login that cannot become root fails here, saying so,
// before gocfg and the configuration are sent (tester P: "sudo: a
// password is required", twice, after a 28 MB upload).
func (d *Deployer) connect(ctx context.Context, h Host) (Facts, error) {
	out, errs := &tailBuffer{max: tailMessage}, &tailBuffer{max: tailMessage}
	// Run by /bin/sh, whatever the login shell (reviewer R12: tcsh
	// refused the redirections, and took "2" for a file to cat).
	if err := d.runStep(ctx, h, Remote{Command: probeCommand, Stdin: strings.NewReader(probeScript(h)), Stdout: out, Stderr: errs}, "the probe"); err != nil {
		return Facts{}, err
	}
	// What the login shell's own files print comes first (tester AR: a
	// ~/.zshenv's echo was taken for sudo's answer): the answers are
	// read from the last marker line on.
	before, rest, ok := cutLast(out.String(), probeMarker+"\n")
	if !ok {
		return Facts{}, fmt.Errorf("the host did not run the probe (it printed %q)", tail(out.String(), 200))
	}
	if h.Become != "" {
		lines := strings.Split(strings.TrimRight(before, "\n"), "\n")
		if lines[len(lines)-1] != becomeOK {
			who := h.User
			if who == "" {
				who = "the login user"
			}
			return Facts{}, fmt.Errorf("%s -n true failed: %s cannot become root without a password; "+
				"give it passwordless %s (NOPASSWD in /etc/sudoers.d), log in as root (deployment.target_user = \"root\"), or set deployment.become", h.Become, who, h.Become)
		}
	}
	return ParseProbe(rest)
}

// probeMarker is the line the probe script prints before the probe's
// answers.
const probeMarker = "gocfg-probe"

// probeScript is what connect gives /bin/sh on h: with become, whether
// it runs true without a password (a line, just before the marker),
// then the marker and the probe.
func probeScript(h Host) string {
	script := "echo " + probeMarker + "\n" + probe + "\n"
	if h.Become != "" {
		script = Shell(BecomeArgs(h), "true") + " </dev/null >/dev/null 2>&1 && echo " + becomeOK + " || echo " + becomeFailed + "\n" + script
	}
	// A line of its own, whatever an rc file printed last without one
	// (reviewer R14).
	return "echo\n" + script
}

// cutLast cuts s around the last sep at the start of a line.
func cutLast(s, sep string) (before, after string, ok bool) {
	if strings.HasPrefix(s, sep) {
		before, after, ok = "", s[len(sep):], true
	}
	if i := strings.LastIndex(s, "\n"+sep); i >= 0 {
		before, after, ok = s[:i+1], s[i+1+len(sep):], true
	}
	return before, after, ok
}

// tail is the last n bytes of s at most.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// The probe's first line with become: whether it ran true.
const (
	becomeOK     = "gocfg-become-ok"
	becomeFailed = "gocfg-become-failed"
)

// ParseProbe reads what probe printed: `uname -s -m`'s line (see
// ParseUname), then the os-release that gives host.distro.
func ParseProbe(s string) (Facts, error) {
	first, osRelease, _ := strings.Cut(s, "\n")
	f, err := ParseUname(first)
	if err != nil {
		return Facts{}, err
	}
	f.Distro = modules.DistroFamily(f.OS, []byte(osRelease))
	return f, nil
}

// ParseUname reads `uname -s -m`: Linux or Darwin, and the machine
// (x86_64, aarch64, arm64) as GOOS and GOARCH.
func ParseUname(s string) (Facts, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return Facts{}, fmt.Errorf("uname -s -m printed %q", strings.TrimSpace(s))
	}
	var facts Facts
	switch f[0] {
	case "Linux":
		facts.OS = "linux"
	case "Darwin":
		facts.OS = "darwin"
	default:
		return Facts{}, fmt.Errorf("the host runs %q; gocfg deploys to Linux and macOS", f[0])
	}
	switch f[1] {
	case "x86_64", "amd64":
		facts.Arch = "amd64"
	case "aarch64", "arm64":
		facts.Arch = "arm64"
	default:
		return Facts{}, fmt.Errorf("the host's architecture is %q; gocfg deploys to x86_64 and arm64", f[1])
	}
	return facts, nil
}

// sent is what a host was sent for its bundle.
type sent struct {
	files  int   // source files sent
	bytes  int64 // their bytes
	stream int64 // the bytes of the whole stream
}

// send asks the host which of the bundle's source files its previous
// bundle lacks (deploy-agent --missing) and streams the bundle with those
// files only into deploy-agent --receive.
func (d *Deployer) send(ctx context.Context, h Host, b *bundle.Bundle, bin Raw, dir Raw, w io.Writer) (sent, error) {
	var s sent
	m := b.Manifest
	if m == nil {
		var err error
		if m, err = bundle.MakeManifest(b.Sources); err != nil {
			return s, err
		}
	}
	total, _ := m.Files()
	missing := []string{}
	if total > 0 {
		var err error
		if missing, err = d.missing(ctx, h, m, bin, dir); err != nil {
			return s, err
		}
	}
	b2 := *b
	b2.Manifest, b2.Send = m, map[string]bool{}
	for _, p := range missing {
		b2.Send[p] = true
	}
	for _, e := range m {
		if e.Type == bundle.TypeFile && b2.Send[e.Path] {
			s.files++
			s.bytes += e.Size
		}
	}
	fmt.Fprintf(w, "sending the configuration and %d of its %d source files (%d bytes)\n", s.files, total, s.bytes)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := bundle.Write(pw, &b2)
		pw.CloseWithError(err)
		done <- err
	}()
	errs := &tailBuffer{max: tailMessage}
	cr := &countingReader{r: pr}
	err := d.T.Run(ctx, h, Remote{Command: Shell(BecomeArgs(h), bin, "deploy-agent", "--receive", dir), Stdin: cr, Stderr: errs})
	pr.CloseWithError(errors.New("ssh ended"))
	s.stream = cr.n
	if werr := <-done; werr != nil && !strings.Contains(werr.Error(), "ssh ended") {
		return s, werr
	}
	if err != nil {
		if e := strings.TrimSpace(errs.String()); e != "" {
			return s, fmt.Errorf("%w: %s", err, e)
		}
		return s, err
	}
	return s, nil
}

// missing runs deploy-agent --missing: the paths of m's files that the
// host's previous bundle lacks.
func (d *Deployer) missing(ctx context.Context, h Host, m bundle.Manifest, bin, dir Raw) ([]string, error) {
	js, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	// An honest answer lists some of the manifest's paths, as the
	// manifest writes them (reviewer R16: a fixed bound refused the
	// answer for a repository of 230,000 files); the host hashes the
	// files of its previous bundle, which takes longer the more there
	// are (at 10 MB/s, a slow SD card's pace, on top of the step's time).
	out, errs := &tailBuffer{max: len(js) + 1024, whole: true}, &tailBuffer{max: tailMessage}
	_, size := m.Files()
	err = d.runStepFor(ctx, h, Remote{Command: afterLine + Shell(BecomeArgs(h), bin, "deploy-agent", "--missing", dir),
		Stdin: bytes.NewReader(js), Stdout: out, Stderr: errs}, "deploy-agent --missing", time.Duration(size/10e6)*time.Second)
	if err != nil {
		if e := strings.TrimSpace(errs.String()); e != "" {
			return nil, fmt.Errorf("asking which files it lacks: %w: %s", err, e)
		}
		return nil, fmt.Errorf("asking which files it lacks: %w", err)
	}
	answer, err := out.all("deploy-agent --missing")
	if err != nil {
		return nil, err
	}
	var missing []string
	if err := json.Unmarshal(jsonAfterNoise(answer), &missing); err != nil {
		return nil, fmt.Errorf("deploy-agent --missing printed %q: %w", tail(out.String(), 2000), err)
	}
	return missing, nil
}

// countingReader counts the bytes read through it: what ssh took of the
// stream.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// switchHost runs the detached switch on h, follows it, checks and
// confirms it.
func (d *Deployer) switchHost(ctx context.Context, h Host, bin, dir Raw, w *Prefixed, at *stage) Result {
	timeout := 0
	if h.MagicRollback {
		timeout = int(h.ConfirmTimeout / time.Second)
	}
	*at = stageSwitching
	errs := &tailBuffer{max: tailMessage}
	if err := d.runStep(ctx, h, Remote{Command: Shell(BecomeArgs(h), bin, "deploy-agent", "--detach",
		"--confirm-timeout", strconv.Itoa(timeout), d.backupArgs(), dir), Stdout: w, Stderr: io.MultiWriter(w, errs)}, "deploy-agent --detach"); err != nil {
		var te *StepTimeoutError
		if errors.As(err, &te) {
			// The agent may have started (reviewer R16): say what that
			// means, as an interruption there does.
			if h.MagicRollback {
				return failed("starting the switch: %v; it may have started there, detached, and then rolls back by itself %s after it switches, with no confirmation: see gocfg status on it", err, h.ConfirmTimeout.Round(time.Second))
			}
			return failed("starting the switch: %v; it may have started there, detached, and stands if it succeeds (magic_rollback is off): see gocfg status on it", err)
		}
		return failed("starting the switch: %v", err)
	}
	f := &follower{w: w}
	st, err := d.follow(ctx, h, bin, dir, f)
	if err != nil {
		return d.lost(st, err)
	}
	var why string // the deploy's reason to let the host roll back
	var confirmed time.Time
	for st.State == StateAwaiting {
		if !confirmed.IsZero() {
			// --follow waits past awaiting-confirm once the confirmation
			// is there: a host that still says it awaits one is not
			// confirmed again (tester AS: a host that always said so got a
			// health check and a fresh login every few hundred
			// milliseconds, forever). Past its confirm_timeout it is
			// reported.
			if d.now().Sub(confirmed) >= h.ConfirmTimeout+d.reconnect() {
				return Result{From: st.From, To: st.To, Changes: st.Changes, Outcome: Failed,
					Why: fmt.Sprintf("the host still says it awaits confirmation %s after it was confirmed; see gocfg generations list and gocfg status there", d.now().Sub(confirmed).Round(time.Second))}
			}
			if err := d.pause(ctx); err != nil {
				return d.lost(st, err)
			}
			// Nor does a follow that answers nothing hold the deploy
			// past that (tester AT: --follow slept, silent).
			left := h.ConfirmTimeout + d.reconnect() - d.now().Sub(confirmed)
			if left <= 0 {
				continue // reported above
			}
			s, err := d.followConfirmed(ctx, h, bin, dir, f, left)
			if err != nil {
				return d.lost(since(st, s), err)
			}
			st = s
			continue
		} else if why == "" {
			*at = stageChecking
			if why = d.checkHealth(ctx, h, w); why == "" {
				*at = stageConfirming
				fmt.Fprintf(w, "confirming over a new connection\n")
				err := d.runStep(ctx, h, Remote{Command: Shell(BecomeArgs(h), bin, "deploy-agent", "--confirm", dir),
					Stdout: w, Stderr: w, Fresh: true}, "deploy-agent --confirm")
				if err != nil {
					why = "could not confirm over a new connection: " + err.Error()
				} else {
					confirmed, *at = d.now(), stageConfirmed
					s, err := d.followConfirmed(ctx, h, bin, dir, f, h.ConfirmTimeout+d.reconnect())
					if err != nil {
						return d.lost(since(st, s), err)
					}
					st = s
					continue
				}
			}
			if ctx.Err() != nil {
				// Interrupted: neither confirmed nor refused.
				return d.lost(st, ctx.Err())
			}
			if why != "" {
				*at = stageRefused
				d.refuse(ctx, h, bin, dir, why, w)
			}
		} else if err := d.pause(ctx); err != nil {
			// Refused, and the agent still awaits: --refuse did not get
			// through; its own timeout rolls it back.
			return d.lost(st, err)
		}
		if st, err = d.follow(ctx, h, bin, dir, f); err != nil {
			return d.lost(st, err)
		}
	}
	r := Result{From: st.From, To: st.To, Changes: st.Changes, settled: true}
	switch st.State {
	case StateSwitched:
		// It stands; what the agent says of it (a partial switch, its
		// hooks left for a later command) is shown beside it.
		r.Outcome, r.OK, r.Why = Switched, true, st.Error
	case StateNoChanges:
		r.Outcome, r.OK = NoChanges, true
	case StateFailed:
		r.Outcome, r.Why = Failed, st.Error
	case StateRolledBack:
		r.Outcome, r.Why = RolledBack, st.Error
		if why != "" {
			r.Why = why
		}
	default:
		r.Outcome, r.Why = Failed, fmt.Sprintf("the agent stopped in state %q", st.State)
	}
	if r.Why == "" && !r.OK {
		r.Why = "no reason given"
	}
	return r
}

// reconnect is Reconnect, or its default.
func (d *Deployer) reconnect() time.Duration {
	if d.Reconnect == 0 {
		return time.Minute
	}
	return d.Reconnect
}

// followConfirmed follows h's agent after its confirmation, for at most
// limit: the agent switches at once, and a host that says nothing
// within its confirm_timeout and Reconnect is reported.
func (d *Deployer) followConfirmed(ctx context.Context, h Host, bin, dir Raw, f *follower, limit time.Duration) (Status, error) {
	fctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	st, err := d.follow(fctx, h, bin, dir, f)
	if err != nil && ctx.Err() == nil && errors.Is(fctx.Err(), context.DeadlineExceeded) && !Connection(err) {
		shown := limit.Round(time.Second)
		if limit < time.Second {
			shown = limit.Round(time.Millisecond)
		}
		return st, fmt.Errorf("the host did not say how its confirmed switch ended within %s (its confirm_timeout, and as long as a lost connection is tried again); see gocfg status there", shown)
	}
	return st, err
}

// refuse tells h's agent that its switch is not confirmed (why), so that
// it rolls back at once; should that fail, it rolls back at the end of
// its confirm_timeout.
func (d *Deployer) refuse(ctx context.Context, h Host, bin, dir Raw, why string, w io.Writer) {
	errs := &tailBuffer{max: tailMessage}
	err := d.runStep(ctx, h, Remote{Command: Shell(BecomeArgs(h), bin, "deploy-agent", "--refuse", dir), Stdout: w, Stderr: io.MultiWriter(w, errs)}, "deploy-agent --refuse")
	if err != nil && strings.Contains(errs.String(), "too late: the switch was confirmed first") {
		// A confirmation that timed out here got through there
		// (reviewer R16): what --follow says next stands.
		fmt.Fprintf(w, "not confirmed (%s), but the host took the confirmation first\n", why)
		return
	}
	if err != nil {
		fmt.Fprintf(w, "not confirmed (%s), and could not tell the host (%v): waiting for it to roll back by itself\n", why, err)
		return
	}
	fmt.Fprintf(w, "not confirmed (%s): the host rolls back\n", why)
}

// pause waits RetryEvery (a second by default), or until ctx ends.
func (d *Deployer) pause(ctx context.Context) error {
	every := d.RetryEvery
	if every == 0 {
		every = time.Second
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(every):
		return nil
	}
}

// lost is the result of a host whose agent could not be followed to the
// end.
func (d *Deployer) lost(st Status, err error) Result {
	if Connection(err) {
		return Result{Outcome: Unreachable, From: st.From, To: st.To, Changes: st.Changes,
			Why: "lost the connection during the switch (the host rolls back by itself unless it was confirmed): " + err.Error()}
	}
	return Result{Outcome: Failed, From: st.From, To: st.To, Changes: st.Changes, Why: "following the switch: " + err.Error()}
}

// follow runs deploy-agent --follow until it reports a state, and
// reconnects (--from the bytes seen) when the connection drops.
func (d *Deployer) follow(ctx context.Context, h Host, bin, dir Raw, f *follower) (Status, error) {
	reconnect := d.reconnect()
	every := d.RetryEvery
	if every == 0 {
		every = time.Second
	}
	var deadline time.Time
	var dropped error // the last connection lost, for a ctx that ends
	for {
		args := []any{BecomeArgs(h), bin, "deploy-agent", "--follow"}
		if f.seen > 0 {
			args = append(args, "--from", strconv.FormatInt(f.seen, 10))
		}
		args = append(args, dir)
		errs := &tailBuffer{max: tailMessage}
		err := d.T.Run(ctx, h, Remote{Command: Shell(args...), Stdout: f, Stderr: errs})
		st, ok, perr := f.end()
		switch {
		case perr != nil:
			return Status{}, perr
		case ok && (Final(st.State) || st.State == StateAwaiting):
			return st, nil
		case err != nil && !Connection(err):
			if s := strings.TrimSpace(errs.String()); s != "" {
				err = fmt.Errorf("%w: %s", err, s)
			}
			return st, err
		case ctx.Err() != nil:
			return st, ctxEnded(ctx, dropped)
		}
		// The connection dropped (or the agent's output ended early).
		if err != nil {
			dropped = err
		}
		if deadline.IsZero() {
			deadline = d.now().Add(h.ConfirmTimeout + reconnect)
			aside(f.w, "the connection dropped; reconnecting")
		}
		if d.now().After(deadline) {
			if err == nil {
				err = &RemoteError{Code: 255, Stderr: "the agent's output ended without a status"}
			}
			return st, err
		}
		select {
		case <-ctx.Done():
			return st, ctxEnded(ctx, dropped)
		case <-time.After(every):
		}
	}
}

// ctxEnded is ctx's error, with the connection lost before it ended
// (dropped, nil for none), so that a bound that ends a host's follow
// while it reconnects still says unreachable, and why (reviewer R17).
func ctxEnded(ctx context.Context, dropped error) error {
	if dropped == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ctx.Err()
	}
	return fmt.Errorf("%w (and no answer since, within the time it was given)", dropped)
}

// since is st, a failed follow's, with what prev knew (the generations,
// the changes) where st says nothing (reviewer R17: a host that went
// silent once confirmed was reported without them).
func since(prev, st Status) Status {
	if st.From == 0 && st.To == 0 {
		st.From, st.To, st.Changes = prev.From, prev.To, prev.Changes
	}
	return st
}

// checkHealth runs h's health checks and returns why one failed ("" when
// all pass).
func (d *Deployer) checkHealth(ctx context.Context, h Host, w io.Writer) string {
	for _, c := range h.HealthChecks {
		var err error
		what := "health check " + Quote(c.Command)
		if c.URL != "" {
			what = "health check " + c.URL
			err = d.fetch(ctx, c)
		} else {
			cctx, cancel := context.WithTimeout(ctx, c.Timeout)
			err = d.T.Run(cctx, h, Remote{Command: c.Command, Stdout: w, Stderr: w})
			if cctx.Err() != nil && ctx.Err() == nil {
				err = fmt.Errorf("timed out after %s", c.Timeout)
			}
			cancel()
		}
		if err != nil && ctx.Err() != nil {
			// Interrupted: the check did not fail.
			return what + ": " + ctx.Err().Error()
		}
		if err != nil {
			fmt.Fprintf(w, "%s: failed: %v\n", what, err)
			return what + ": " + err.Error()
		}
		fmt.Fprintf(w, "%s: passed\n", what)
	}
	return ""
}

// fetch runs a url health check from this machine: a 2xx answer within
// its timeout passes. A redirect is not followed: it fails the check,
// naming where it leads (tester AS: a compromised host's health URL sent
// the deploying machine to an address only it can reach, and the check
// passed on that address's answer).
func (d *Deployer) fetch(ctx context.Context, c HealthCheck) error {
	client := http.Client{}
	if d.HTTP != nil {
		client = *d.HTTP
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return fmt.Errorf("answered %s, a redirect to %q, which health checks do not follow: give the URL that answers 2xx", resp.Status, resp.Header.Get("Location"))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}

// afterLine starts a remote command whose output gocfg reads as JSON
// with an empty line: what the login shell's rc files print comes
// before it, and may not end its line (the e2e deploy with a zsh login
// whose ~/.zshenv printed: --missing's answer was unreadable).
const afterLine = "echo; "

// jsonAfterNoise is out from its first line that starts a JSON array
// or object, past what the login shell's files printed before it.
func jsonAfterNoise(out []byte) []byte {
	for i := range out {
		if (out[i] == '[' || out[i] == '{') && (i == 0 || out[i-1] == '\n') {
			return out[i:]
		}
	}
	return out
}
