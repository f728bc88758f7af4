package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/cobra"
)

// TestRootCmdFor: a command line that starts with a command's name gets
// a root with that command alone, named as rootCommands says, whose
// commands (and subcommands) help and parse as the whole tree's do.
func TestRootCmdFor(t *testing.T) {
	full := newRootCmd(testEnv(t))
	if got, want := len(full.Commands()), len(rootCommands()); got < want {
		t.Fatalf("the whole tree has %d commands, rootCommands %d", got, want)
	}
	for _, rc := range rootCommands() {
		lazy := newRootCmdFor(testEnv(t), []string{rc.name, "--help"})
		if cs := lazy.Commands(); len(cs) != 1 || cs[0].Name() != rc.name {
			t.Errorf("%s: the root has %d commands, the first %q", rc.name, len(cs), cs[0].Name())
			continue
		}
		var walk func(c *cobra.Command)
		walk = func(c *cobra.Command) {
			f, _, err := full.Find(splitPath(c.CommandPath()))
			if err != nil || f.CommandPath() != c.CommandPath() {
				t.Errorf("%s: not in the whole tree (%v)", c.CommandPath(), err)
				return
			}
			if c.UsageString() != f.UsageString() || c.Long != f.Long || c.Args == nil != (f.Args == nil) {
				t.Errorf("%s: usage, help or argument check differs from the whole tree's:\n%s\nwant\n%s", c.CommandPath(), c.UsageString(), f.UsageString())
			}
			for _, sub := range c.Commands() {
				walk(sub)
			}
		}
		walk(lazy.Commands()[0])

		// What a user sees is the same: the help, or the same error (the
		// root's --version and cobra's completion command, which the
		// lazy root does not make, are out of reach after a name).
		for _, args := range [][]string{{rc.name, "--help"}, {rc.name, "--no-such-flag"}, {rc.name, "--version"}, {rc.name, "completion", "--help"}} {
			lazyOut, lazyErr := executed(t, newRootCmdFor, args)
			fullOut, fullErr := executed(t, func(env *Env, _ []string) *cobra.Command { return newRootCmd(env) }, args)
			if lazyOut != fullOut || fmt.Sprint(lazyErr) != fmt.Sprint(fullErr) {
				t.Errorf("gocfg %v: %v and\n%s\nthe whole tree: %v and\n%s", args, lazyErr, lazyOut, fullErr, fullOut)
			}
		}
	}
	// An alias, a flag first, help or an unknown word: the whole tree.
	for _, args := range [][]string{{"gen"}, {"--config", "x", "eval"}, {"help", "eval"}, {"__complete", "e"}, {"evaluate"}, nil} {
		if got := len(newRootCmdFor(testEnv(t), args).Commands()); got != len(full.Commands()) {
			t.Errorf("%v: %d commands, want the whole tree's %d", args, got, len(full.Commands()))
		}
	}
}

// executed runs args through the tree that makeRoot makes for them and
// returns what it printed and its error.
func executed(t *testing.T, makeRoot func(*Env, []string) *cobra.Command, args []string) (string, error) {
	var out bytes.Buffer
	env := testEnv(t)
	env.Stdout, env.Stderr = &out, &out
	root := makeRoot(env, args)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// splitPath is a command path without the root's name, as Find takes it.
func splitPath(path string) []string {
	words := bytes.Fields([]byte(path))
	out := make([]string, 0, len(words))
	for _, w := range words[1:] {
		out = append(out, string(w))
	}
	return out
}

// TestAppendDiskHint (tester BB): a full, over-quota or read-only file
// system gets a hint naming the path the failed call named, after the
// error's own hints; other errors get none.
func TestAppendDiskHint(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("write journal: %w", &fs.PathError{Op: "write", Path: "/var/lib/gocfg/journal.json", Err: syscall.ENOSPC}),
			"free space or inodes on the file system holding /var/lib/gocfg/journal.json (df -h, df -i), then run the command again; gocfg generations gc"},
		{&os.LinkError{Op: "rename", Old: "/etc/.tmp", New: "/etc/motd", Err: syscall.EROFS},
			"the file system holding /etc/motd is mounted read-only: mount it read-write, then run the command again"},
		{&fs.PathError{Op: "open", Path: "/home/bb1/.netrc", Err: syscall.EDQUOT}, "the owner of what is written is over the disk quota on the file system holding /home/bb1/.netrc"},
		{fmt.Errorf("write generation 2: %w", &fs.PathError{Op: "open", Path: "/var/lib/gocfg/store/x", Err: syscall.EMFILE}), "gocfg ran out of open files: raise the limit (ulimit -n 1024 is plenty)"},
		{errors.New("no space"), ""},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}, ""},
	} {
		got := appendDiskHint([]string{"its own"}, tc.err, "")
		switch {
		case tc.want == "" && len(got) != 1:
			t.Errorf("%v: hints %q, want its own alone", tc.err, got)
		case tc.want != "" && (len(got) != 2 || got[0] != "its own" || !strings.HasPrefix(got[1], tc.want)):
			t.Errorf("%v: hints %q, want its own, then %q", tc.err, got, tc.want)
		}
	}
}

// TestAppendDiskHintUnderRoot (tester BG): under --root, the hint names
// the tree's path as this machine has it, for df to measure the tree's
// file system; a path already under the tree stays as it is.
func TestAppendDiskHintUnderRoot(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/var/lib/gocfg/store/x", "free space or inodes on the file system holding /tmp/tree/var/lib/gocfg/store/x "},
		{"/tmp/tree/etc/motd", "free space or inodes on the file system holding /tmp/tree/etc/motd "},
	} {
		got := appendDiskHint(nil, &fs.PathError{Op: "write", Path: tc.path, Err: syscall.ENOSPC}, "/tmp/tree")
		if len(got) != 1 || !strings.HasPrefix(got[0], tc.want) {
			t.Errorf("%s: hints %q, want %q…", tc.path, got, tc.want)
		}
	}
}
