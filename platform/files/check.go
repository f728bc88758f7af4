package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// environment.etc.<path>.check validates a file's new content before
// anything changes, as NixOS's `checkPhase`s and visudo/sshd -t habits
// do: the plan runs the command (with /bin/sh -c) on the content it is
// about to install, and a command that fails makes the plan fail with a
// ConfigError on the file's option that carries the command's output.
//
// Plan changes nothing on the machine, so the content is not written
// anywhere: %s in the command is replaced by /dev/stdin and the content
// is the command's standard input (a command without %s gets it there
// too). It runs as a read-only question (system.Command.ReadOnly): under
// `gocfg plan` and --dry-run too, and under --root on the host that
// builds the tree (a check changes nothing; what it checks is the
// content, not the tree). The check is run for a file whose content is
// new or changed since the current generation; content already applied
// passed it then.
//
// A check whose program is not on the machine yet (the shell's "command
// not found", exit status 127) while the plan installs packages (visudo
// of the package sudo the same switch installs) does not fail the plan:
// the change says the check runs at the switch, and a CheckOp runs it
// right before the file is written, after packages:install (after.go).
// A content it refuses then fails the switch, which is undone. Under
// --root, or with nothing to install, the plan fails as before.

// checkPath is what %s becomes in a check command.
const checkPath = "/dev/stdin"

// checkFiles runs the check of every desired file whose content changes,
// and returns every failure, joined, and the files whose check waits for
// the switch (deferred: its program comes with a package the plan
// installs).
func (l *site) checkFiles(ctx context.Context, files []*File, applied map[string]*File) (deferred []*File, err error) {
	var errs []error
	for _, f := range files {
		if f.check == "" {
			continue
		}
		if a := applied[f.Path]; a != nil && a.Hash == f.Hash && a.Method == f.Method {
			continue
		}
		if missing, err := l.checkFile(ctx, f); err != nil {
			if missing && l.installs && !l.Offline {
				deferred = append(deferred, f)
				continue
			}
			errs = append(errs, err)
		}
	}
	return deferred, errors.Join(errs...)
}

// checkFile runs f's check on its content; missing: the shell did not
// find its command.
func (l *site) checkFile(ctx context.Context, f *File) (missing bool, err error) {
	content := f.text
	if content == nil {
		r, err := l.Sources().Open(f.Source)
		if err != nil {
			return false, &platform.ConfigError{Option: f.option, Msg: fmt.Sprintf("check: reading %s: %v", f.Source, unwrapPath(err))}
		}
		content, err = io.ReadAll(r)
		r.Close()
		if err != nil {
			return false, &platform.ConfigError{Option: f.option, Msg: fmt.Sprintf("check: reading %s: %v", f.Source, err)}
		}
	}
	out, err := runCheck(ctx, l.Reader(), f.check, content)
	if err == nil {
		return false, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	msg := fmt.Sprintf("the new content of %s fails its check %s", f.Path, checkName(f.check))
	hint := "fix the content, or the options it is made from (the check reads it as " + checkPath + ")"
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee) && ee.ExitCode() == 127:
		missing = true
		msg = fmt.Sprintf("the check of %s, %s, could not run: command not found", f.Path, checkName(f.check))
		hint = "install the program the check runs: it runs on the machine that plans, also under --root (a check of your own, you may drop instead)"
	case !errors.As(err, &ee):
		msg = fmt.Sprintf("the check of %s, %s, could not run: %v", f.Path, checkName(f.check), err)
		hint = ""
	}
	msg += checkOutput(out, content)
	return missing, &platform.ConfigError{Option: f.option, Msg: msg, Hint: hint}
}

// checkName is how a message names a check: the command, quoted; a
// script of several lines by its size (an option module's, such as
// sshd's, which the user did not write: tester BC got 10 lines of shell
// before sshd's own word).
func checkName(check string) string {
	if n := strings.Count(strings.TrimRight(check, "\n"), "\n"); n > 0 {
		return fmt.Sprintf("(a script of %d lines)", n+1)
	}
	return "`" + check + "`"
}

// stdinLine finds the lines of the checked content a check's output
// names: "/dev/stdin line 3" (sshd), "/dev/stdin:3:" (visudo, nft).
var stdinLine = regexp.MustCompile(regexp.QuoteMeta(checkPath) + `(?: line |:)([0-9]+)`)

// checkOutput is a check's output for its failure's message (after a
// colon), followed by the lines of content it names, at most three: the
// checked file is the new content, which the user may never have seen
// as a file (one an option module makes from her options).
func checkOutput(out, content []byte) string {
	o := strings.TrimSpace(string(out))
	if o == "" {
		return ""
	}
	s := ":\n" + o
	lines := strings.Split(string(content), "\n")
	seen := map[int]bool{}
	for _, m := range stdinLine.FindAllStringSubmatch(o, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > len(lines) || seen[n] || len(seen) == 3 {
			continue
		}
		seen[n] = true
		s += fmt.Sprintf("\nline %d of the new content: %s", n, strconv.Quote(strings.TrimRight(lines[n-1], "\r")))
	}
	return s
}

// runCheck runs a check command on content (as %s, /dev/stdin).
func runCheck(ctx context.Context, sys system.System, check string, content []byte) ([]byte, error) {
	script := strings.ReplaceAll(check, "%s", checkPath)
	return sys.Run(ctx, system.Command{Path: "/bin/sh", Args: []string{"-c", script}, UID: -1, GID: -1, ReadOnly: true,
		Stdin: content, Env: []string{"PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"}})
}
