package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gocfg/gocfg/deploy/bundle"
	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmds are the scripts' own commands, for checking what gocfg did
// to the disk:
//
//	snapshot DIR [FILE]    list every path under DIR (type, mode, owner,
//	                       symlink target, sha256 of contents), sorted, to
//	                       FILE or to stdout; the store's settled-folders
//	                       and source-signatures caches left out
//	                       (storeCaches)
//	waitfile PATH          wait up to 30 s until PATH exists
//	ended PID              wait up to 10 s until process PID has ended
//	                       (gone, or a zombie no one waited for)
//	envfile VAR FILE       set $VAR to FILE's content, trimmed
//	readlink PATH          print a symlink's target on stdout
//	perm MODE PATH...      assert the permission bits of each PATH
//	                       (following symlinks), e.g. perm 0444 f
//	owner UID:GID PATH...  assert the owner of each PATH (not following a
//	                       final symlink)
//	append FILE TEXT       append TEXT and a newline to FILE, which must
//	                       exist (an edit by hand)
//	copybin NAME DEST      copy the program NAME found on $PATH to DEST,
//	                       mode 0755, for running it as another user
//	chown UID:GID PATH...  change the owner of each PATH and everything
//	                       under it, not following symlinks
//	mkbundle [-host H] [-commit C] [-dirty] CONFIG OUT [SOURCE...]
//	                       write a deploy bundle (deploy/bundle) to OUT: the
//	                       evaluated configuration CONFIG (gocfg eval
//	                       --json) and the SOURCE files, as gocfg deploy
//	                       sends it
//	legacysecrets ROOT N   see cmdLegacySecrets
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"snapshot":      cmdSnapshot,
		"waitfile":      cmdWaitfile,
		"ended":         cmdEnded,
		"envfile":       cmdEnvfile,
		"readlink":      cmdReadlink,
		"perm":          cmdPerm,
		"owner":         cmdOwner,
		"append":        cmdAppend,
		"copybin":       cmdCopybin,
		"chown":         cmdChown,
		"acl":           cmdACL,
		"mkbundle":      cmdMkbundle,
		"legacysecrets": cmdLegacySecrets,
	}
	for name, c := range macfakeCmds() {
		cmds[name] = c
	}
	return cmds
}

func noNeg(ts *testscript.TestScript, neg bool, name string) {
	if neg {
		ts.Fatalf("unsupported: ! %s", name)
	}
}

// wantArgs starts a command whose usage is usage ("readlink PATH", its
// first word the command's name): it refuses "! name" and stops the
// script with the usage unless there are least to most arguments (most
// -1: no limit).
func wantArgs(ts *testscript.TestScript, neg bool, args []string, least, most int, usage string) {
	name, _, _ := strings.Cut(usage, " ")
	noNeg(ts, neg, name)
	if len(args) < least || most >= 0 && len(args) > most {
		ts.Fatalf("usage: %s", usage)
	}
}

// cmdSnapshot writes one line per path under DIR, sorted by path:
//
//	d 0755 0:0 alice/.config
//	f 0644 0:0 alice/.zshrc sha256:<64 hex>
//	l 0:0 alice/.vimrc -> ../../var/lib/gocfg/current/files/home/alice/.vimrc
//
// Modification times are left out, so two snapshots are equal when the
// trees hold the same paths with the same contents and attributes.
// storeCaches are the store's settled-folders and source-signatures
// caches under a --root tree, which snapshot leaves out: a switch with
// nothing to do writes them when folders of links, or sources, have
// been as they are for more than a moment, so whether they differ
// between two snapshots depends on the time between them
// (switch_settled and switch_sources check them).
var storeCaches = map[string]bool{"var/lib/gocfg/store/settled": true, "var/lib/gocfg/store/sources": true}

func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 1, 2, "snapshot DIR [FILE]")
	dir := ts.MkAbs(args[0])
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if storeCaches[filepath.ToSlash(rel)] {
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		owner := "?:?"
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			owner = fmt.Sprintf("%d:%d", st.Uid, st.Gid)
		}
		mode := fmt.Sprintf("%04o", modeBits(fi.Mode()))
		rel = filepath.ToSlash(rel)
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "l %s %s -> %s\n", owner, rel, t)
		case fi.IsDir():
			fmt.Fprintf(&b, "d %s %s %s\n", mode, owner, rel)
		case fi.Mode().IsRegular():
			_, sum, err := bundle.HashFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "f %s %s %s sha256:%s\n", mode, owner, rel, sum)
		default:
			fmt.Fprintf(&b, "? %s %s %s %s\n", mode, owner, rel, fi.Mode().Type())
		}
		return nil
	})
	ts.Check(err)
	if len(args) == 2 {
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(b.String()), 0o644))
		return
	}
	_, err = io.WriteString(ts.Stdout(), b.String())
	ts.Check(err)
}

func cmdWaitfile(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 1, 1, "waitfile PATH")
	p := ts.MkAbs(args[0])
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Lstat(p); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear within 30s", args[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func cmdEnded(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 1, 1, "ended PID")
	pid, err := strconv.Atoi(args[0])
	if err != nil || pid <= 0 {
		ts.Fatalf("ended: %q is not a PID", args[0])
	}
	deadline := time.Now().Add(10 * time.Second)
	for !processGone(pid, 0) {
		if time.Now().After(deadline) {
			ts.Fatalf("process %d still runs after 10s", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func cmdEnvfile(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 2, 2, "envfile VAR FILE")
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile(args[1])))
}

func cmdReadlink(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 1, 1, "readlink PATH")
	t, err := os.Readlink(ts.MkAbs(args[0]))
	ts.Check(err)
	fmt.Fprintln(ts.Stdout(), t)
}

func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: perm MODE PATH...")
	}
	want, err := strconv.ParseUint(args[0], 8, 32)
	if err != nil {
		ts.Fatalf("invalid mode %s", args[0])
	}
	for _, p := range args[1:] {
		fi, err := os.Stat(ts.MkAbs(p))
		ts.Check(err)
		got := modeBits(fi.Mode())
		if (got == uint32(want)) == neg {
			if neg {
				ts.Fatalf("%s has mode %04o", p, got)
			}
			ts.Fatalf("%s has mode %04o, want %04o", p, got, want)
		}
	}
}

func cmdOwner(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: owner UID:GID PATH...")
	}
	for _, p := range args[1:] {
		fi, err := os.Lstat(ts.MkAbs(p))
		ts.Check(err)
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			ts.Fatalf("%s: no owner on this platform", p)
		}
		got := fmt.Sprintf("%d:%d", st.Uid, st.Gid)
		if (got == args[0]) == neg {
			if neg {
				ts.Fatalf("%s is owned by %s", p, got)
			}
			ts.Fatalf("%s is owned by %s, want %s", p, got, args[0])
		}
	}
}

func cmdAppend(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: append FILE TEXT")
	}
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_WRONLY|os.O_APPEND, 0)
	if err == nil {
		_, err = io.WriteString(f, args[1]+"\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	switch {
	case err != nil && !neg:
		ts.Fatalf("append %s: %v", args[0], err)
	case err == nil && neg:
		ts.Fatalf("append %s: unexpected success", args[0])
	}
}

func cmdCopybin(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 2, 2, "copybin NAME DEST")
	// Look the program up in the script's $PATH, where testscript put it.
	var src string
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		p := filepath.Join(dir, args[0])
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			src = p
			break
		}
	}
	if src == "" {
		ts.Fatalf("%s: not found in $PATH: %v", args[0], exec.ErrNotFound)
	}
	dest := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(filepath.Dir(dest), 0o755))
	// cp writes it, not this process: a program written here is held
	// open for writing by any child another script forks meanwhile
	// (until that child's exec closes it), and running it then fails
	// with "text file busy" (golang/go#22315).
	if out, err := exec.Command("cp", src, dest).CombinedOutput(); err != nil {
		ts.Fatalf("cp %s %s: %v\n%s", src, dest, err, out)
	}
	ts.Check(os.Chmod(dest, 0o755))
}

func cmdChown(ts *testscript.TestScript, neg bool, args []string) {
	wantArgs(ts, neg, args, 2, -1, "chown UID:GID PATH...")
	u, g, ok := strings.Cut(args[0], ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil {
		ts.Fatalf("chown: %q is not UID:GID", args[0])
	}
	for _, p := range args[1:] {
		err := filepath.WalkDir(ts.MkAbs(p), func(p string, _ fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, uid, gid)
		})
		if errors.Is(err, fs.ErrPermission) {
			ts.Fatalf("chown %s: %v (the script must run as root)", p, err)
		}
		ts.Check(err)
	}
}

func cmdMkbundle(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "mkbundle")
	b := &bundle.Bundle{Meta: bundle.Meta{Host: "web1", Version: "test"}}
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch {
		case args[0] == "-dirty":
			b.Meta.Dirty = true
			args = args[1:]
		case args[0] == "-host" && len(args) > 1:
			b.Meta.Host, args = args[1], args[2:]
		case args[0] == "-commit" && len(args) > 1:
			b.Meta.Commit, args = args[1], args[2:]
		default:
			ts.Fatalf("mkbundle: unknown flag %s", args[0])
		}
	}
	if len(args) < 2 {
		ts.Fatalf("usage: mkbundle [-host H] [-commit C] [-dirty] CONFIG OUT [SOURCE...]")
	}
	b.Config = []byte(ts.ReadFile(args[0]))
	for _, s := range args[2:] {
		b.Sources = append(b.Sources, ts.MkAbs(s))
	}
	f, err := os.Create(ts.MkAbs(args[1]))
	ts.Check(err)
	ts.Check(bundle.Write(f, b))
	ts.Check(f.Close())
}
