//go:build linux

// Command attacker is the ordinary user's side of the privilege boundary
// tests in e2e (privilege_test.go): what a user who wants root's gocfg
// to reach beyond her home can do with no privilege at all. The tests
// build it, bind it read-only into the container and run it as that
// user.
//
// Usage:
//
//	attacker tree ENTRY...
//	    prints the name gocfg gives the tree object of a files root
//	    holding the files ENTRY (REL=SHA256, or REL=SHA256:x for an
//	    executable file; REL may hold slashes): the sha256 of the sorted
//	    listing "f 0444 <sha256> <name>\n" / "d <tree hash> <name>\n",
//	    and for a files root's object the HMAC-SHA256 of the store area's
//	    name, a NUL and that hash with the store's key, which gocfg keeps
//	    from her (store/key, 0600): the test gives it in
//	    GOCFG_ATTACKER_KEY, and the area in GOCFG_ATTACKER_AREA, as if she
//	    had read the key.
//	attacker plant AREA VICTIM ENTRY...
//	    creates, in the store area AREA, the tree objects tree would
//	    name (subtree links "../<hash>" included), every file a symlink
//	    to VICTIM, and prints the root object's name. An object that
//	    exists already is left alone.
//	attacker exchange [-for D] [-stop FILE] A B
//	    swaps A and B with renameat2(RENAME_EXCHANGE) in a tight loop
//	    until D has passed (default 5s) or FILE exists, then leaves them
//	    as they were at the start (an even number of swaps).
//	attacker watch [-for D] [-stop FILE] [-ready FILE] [-flip] DIR PREFIX TARGET
//	    watches DIR with inotify and, whenever a folder whose name starts
//	    with PREFIX is created in it (renames, its own swaps included, are
//	    not watched), swaps it (RENAME_EXCHANGE) for a symlink to TARGET:
//	    once, or with -flip back and forth until the name goes away (at
//	    most a second). Writes FILE (-ready) once the watch is set up, or
//	    once that failed. Stops after D (default 10s) or when the stop
//	    FILE exists.
//	attacker hang [-for D] [-stop FILE] [-ready FILE] SOCKET
//	    listens on the unix socket SOCKET (her user manager's, moved
//	    aside), accepts every connection and never reads or answers
//	    (tester Y). Writes FILE (-ready) once listening; stops after D
//	    (default 60s) or when the stop FILE exists (hang.go).
//	attacker fakebus [-mode silent|flood] [-n N] [-for D] [-stop FILE] [-ready FILE] SOCKET
//	    listens on SOCKET as a D-Bus peer that completes the handshake
//	    and answers AddMatch, then never answers (silent) or sends N
//	    calls and stops reading (flood) (tester Z; fakebus.go).
//
// Every command stops by itself. Errors are reported on stderr with exit
// status 1; the tests log them and check the outcome, not the attacker's
// success.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) < 2 {
		fatalf("usage: attacker tree|plant|exchange|watch|hang|fakebus ...")
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "tree":
		err = cmdTree(args)
	case "plant":
		err = cmdPlant(args)
	case "exchange":
		err = cmdExchange(args)
	case "watch":
		err = cmdWatch(args)
	case "hang":
		err = cmdHang(args)
	case "fakebus":
		err = cmdFakeBus(args)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "attacker: "+format+"\n", args...)
	os.Exit(1)
}

// A tree is one folder of a files root, as gocfg hashes it.
type tree struct {
	files map[string]string // name → "0444 <sha256>" or "0555 <sha256>"
	dirs  map[string]*tree
	hash  string
}

func newTree() *tree { return &tree{files: map[string]string{}, dirs: map[string]*tree{}} }

// parseTree builds the tree of entries REL=SHA256[:x].
func parseTree(entries []string) (*tree, error) {
	root := newTree()
	for _, e := range entries {
		rel, sum, ok := strings.Cut(e, "=")
		if !ok || rel == "" {
			return nil, fmt.Errorf("entry %q: want REL=SHA256[:x]", e)
		}
		mode := "0444"
		if s, ok := strings.CutSuffix(sum, ":x"); ok {
			sum, mode = s, "0555"
		}
		if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("entry %q: %q is not a sha256", e, sum)
		}
		segs := strings.Split(rel, "/")
		t := root
		for _, s := range segs[:len(segs)-1] {
			sub := t.dirs[s]
			if sub == nil {
				sub = newTree()
				t.dirs[s] = sub
			}
			t = sub
		}
		t.files[segs[len(segs)-1]] = mode + " " + sum
	}
	root.finish()
	key, err := rootKey()
	if err != nil {
		return nil, err
	}
	if key != nil {
		area := os.Getenv("GOCFG_ATTACKER_AREA")
		if area == "" {
			return nil, errors.New("GOCFG_ATTACKER_KEY needs GOCFG_ATTACKER_AREA, the store area's name (home-mallory)")
		}
		m := hmac.New(sha256.New, key)
		m.Write([]byte(area + "\x00" + root.hash))
		root.hash = hex.EncodeToString(m.Sum(nil))
	}
	return root, nil
}

// finish computes the hashes of t and its subtrees, bottom-up.
func (t *tree) finish() {
	var names []string
	for n := range t.files {
		names = append(names, n)
	}
	for n, sub := range t.dirs {
		sub.finish()
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		if f, ok := t.files[n]; ok {
			fmt.Fprintf(h, "f %s %s\n", f, n)
		} else {
			fmt.Fprintf(h, "d %s %s\n", t.dirs[n].hash, n)
		}
	}
	t.hash = hex.EncodeToString(h.Sum(nil))
}

func cmdTree(args []string) error {
	t, err := parseTree(args)
	if err != nil {
		return err
	}
	fmt.Println(t.hash)
	return nil
}

// rootKey is the store's key (store/key) an attacker is given in
// GOCFG_ATTACKER_KEY, as if she had read it: gocfg names the object of a
// files root with it (HMAC-SHA256 of the tree hash); nil without.
func rootKey() ([]byte, error) {
	v := strings.TrimSpace(os.Getenv("GOCFG_ATTACKER_KEY"))
	if v == "" {
		return nil, nil
	}
	key, err := hex.DecodeString(v)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("GOCFG_ATTACKER_KEY: not 64 hex digits")
	}
	return key, nil
}

func cmdPlant(args []string) error {
	if len(args) < 3 {
		return errors.New("usage: attacker plant AREA VICTIM ENTRY [ENTRY ...]")
	}
	area, victim := args[0], args[1]
	t, err := parseTree(args[2:])
	if err != nil {
		return err
	}
	if err := plant(area, victim, t); err != nil {
		return err
	}
	fmt.Println(t.hash)
	return nil
}

// plant creates the object of t in area, subtrees first.
func plant(area, victim string, t *tree) error {
	for _, sub := range t.dirs {
		if err := plant(area, victim, sub); err != nil {
			return err
		}
	}
	dir := filepath.Join(area, t.hash)
	if _, err := os.Lstat(dir); err == nil {
		fmt.Fprintf(os.Stderr, "attacker: %s exists already; left alone\n", dir)
		return nil
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	for n := range t.files {
		if err := os.Symlink(victim, filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	for n, sub := range t.dirs {
		if err := os.Symlink("../"+sub.hash, filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}

// until returns a function that reports whether d has passed or the
// file stop exists (checked every 256 calls, it is a system call).
func until(d time.Duration, stop string) func() bool {
	deadline := time.Now().Add(d)
	n := 0
	return func() bool {
		n++
		if n%256 != 0 {
			return false
		}
		if time.Now().After(deadline) {
			return true
		}
		if stop != "" {
			if _, err := os.Lstat(stop); err == nil {
				return true
			}
		}
		return false
	}
}

func cmdExchange(args []string) error {
	fs := flag.NewFlagSet("exchange", flag.ContinueOnError)
	d := fs.Duration("for", 5*time.Second, "how long to swap")
	stop := fs.String("stop", "", "stop when this file exists")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return errors.New("usage: attacker exchange [-for D] [-stop FILE] A B")
	}
	a, b := fs.Arg(0), fs.Arg(1)
	done := until(*d, *stop)
	swaps, fails := 0, 0
	var last error
	for !done() {
		if err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE); err != nil {
			fails++
			last = err
			continue
		}
		swaps++
	}
	if swaps%2 == 1 {
		if err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE); err != nil {
			return fmt.Errorf("putting %s and %s back: %v", a, b, err)
		}
		swaps++
	}
	fmt.Printf("exchange %s %s: %d swaps, %d failed (last: %v)\n", a, b, swaps, fails, last)
	if swaps == 0 {
		return fmt.Errorf("no swap succeeded: %v", last)
	}
	return nil
}

func cmdWatch(args []string) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	d := fs.Duration("for", 10*time.Second, "how long to watch")
	stop := fs.String("stop", "", "stop when this file exists")
	ready := fs.String("ready", "", "write this file once watching (or once that failed)")
	flip := fs.Bool("flip", false, "swap back and forth until the folder's name goes away")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 3 {
		return errors.New("usage: attacker watch [-for D] [-stop FILE] [-ready FILE] [-flip] DIR PREFIX TARGET")
	}
	dir, prefix, target := fs.Arg(0), fs.Arg(1), fs.Arg(2)
	setReady := func(msg string) {
		if *ready != "" {
			_ = os.WriteFile(*ready, []byte(msg+"\n"), 0o644)
		}
	}
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		setReady("inotify_init: " + err.Error())
		return err
	}
	defer unix.Close(fd)
	if _, err := unix.InotifyAddWatch(fd, dir, unix.IN_CREATE|unix.IN_ONLYDIR); err != nil {
		setReady("inotify_add_watch " + dir + ": " + err.Error())
		return fmt.Errorf("inotify_add_watch %s: %w", dir, err)
	}
	setReady("watching " + dir)
	deadline := time.Now().Add(*d)
	buf := make([]byte, 64<<10)
	seen, swapped, n := 0, 0, 0
	var errs []string
	for time.Now().Before(deadline) {
		if *stop != "" {
			if _, err := os.Lstat(*stop); err == nil {
				break
			}
		}
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if _, err := unix.Poll(pfd, 100); err != nil && !errors.Is(err, unix.EINTR) {
			return err
		}
		r, err := unix.Read(fd, buf)
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		for off := 0; off+unix.SizeofInotifyEvent <= r; {
			// struct inotify_event: wd, mask, cookie, len, name[len].
			mask := binary.NativeEndian.Uint32(buf[off+4:])
			size := int(binary.NativeEndian.Uint32(buf[off+12:]))
			name := strings.TrimRight(string(buf[off+unix.SizeofInotifyEvent:off+unix.SizeofInotifyEvent+size]), "\x00")
			off += unix.SizeofInotifyEvent + size
			if mask&unix.IN_ISDIR == 0 || !strings.HasPrefix(name, prefix) {
				continue
			}
			seen++
			n++
			tmp := filepath.Join(dir, name)
			evil := filepath.Join(dir, fmt.Sprintf("evil-%d-%d", os.Getpid(), n))
			if err := os.Symlink(target, evil); err != nil {
				errs = append(errs, err.Error())
				continue
			}
			if err := unix.Renameat2(unix.AT_FDCWD, evil, unix.AT_FDCWD, tmp, unix.RENAME_EXCHANGE); err != nil {
				errs = append(errs, fmt.Sprintf("exchange %s: %v", tmp, err))
				_ = os.Remove(evil)
				continue
			}
			swapped++
			if *flip {
				flipUntilGone(tmp, evil)
			}
		}
	}
	if len(errs) > 5 {
		errs = append(errs[:5], fmt.Sprintf("... and %d more", len(errs)-5))
	}
	fmt.Printf("watch %s: %d folder(s) %s* seen, %d swapped for a link to %s; errors: %v\n", dir, seen, prefix, swapped, target, errs)
	return nil
}

// flipUntilGone swaps tmp (the symlink after the first swap) and evil
// (the real folder) back and forth until root renames tmp away or a
// second has passed, then leaves the real folder at tmp if it is still
// there.
func flipUntilGone(tmp, evil string) {
	deadline := time.Now().Add(time.Second)
	swapped := 1
	for i := 0; ; i++ {
		if i%64 == 0 && time.Now().After(deadline) {
			break
		}
		if err := unix.Renameat2(unix.AT_FDCWD, evil, unix.AT_FDCWD, tmp, unix.RENAME_EXCHANGE); err != nil {
			break // tmp is gone: renamed into place
		}
		swapped++
	}
	if swapped%2 == 1 {
		_ = unix.Renameat2(unix.AT_FDCWD, evil, unix.AT_FDCWD, tmp, unix.RENAME_EXCHANGE)
	}
}
