package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// configTarget makes the configuration folder dir that init writes into
// (a clone, or the starter repository), with the folders missing on its
// way, and refuses it when another user owns it or could change it or
// any folder on its way (rootWay; what says what dir is, for the error).
//
// Tester BJ: init looked only at the folder above dir. In an empty
// folder of hers, or one she made between that look and the clone, she
// put a link where git writes .git: root's git wrote a repository into,
// and its cleanup emptied, a root-only folder; init describing the
// machine wrote its README over a root-only file. The nearest folder that
// exists is looked at first; the missing ones are made from it one by
// one without following a link (mkdirat, then openat with O_NOFOLLOW:
// one she made meanwhile is found, never followed); then the whole way to
// dir is looked at. Once that way is root's, and no other user may write
// in its folders (a sticky one keeps root's entries root's), nothing on
// it can be swapped for the clone or the writes that follow.
func configTarget(env *Env, dir, what string) error {
	dir = filepath.Clean(dir)
	have, missing := dir, []string(nil)
	for {
		if _, err := os.Lstat(have); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		parent := filepath.Dir(have)
		if parent == have {
			break
		}
		missing = append(missing, filepath.Base(have))
		have = parent
	}
	if len(missing) > 0 {
		if _, _, err := rootWay(env, have, what); err != nil {
			return err
		}
		if err := makeFolders(have, missing); err != nil {
			return fmt.Errorf("%s: %w", shownDir(env, dir), err)
		}
	}
	_, _, err := rootWay(env, dir, what)
	return err
}

// makeFolders makes the folders missing (innermost first) under have,
// each from the one above it, following no link.
func makeFolders(have string, missing []string) error {
	fd, err := unix.Open(have, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: have, Err: err}
	}
	at := have
	for i := len(missing) - 1; i >= 0; i-- {
		name := missing[i]
		at = filepath.Join(at, name)
		if err := unix.Mkdirat(fd, name, 0o755); err != nil && !errors.Is(err, unix.EEXIST) {
			unix.Close(fd)
			return &os.PathError{Op: "mkdir", Path: at, Err: err}
		}
		next, err := unix.Openat(fd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		unix.Close(fd)
		if err != nil {
			return &os.PathError{Op: "open", Path: at, Err: err}
		}
		fd = next
	}
	return unix.Close(fd)
}
