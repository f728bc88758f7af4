//go:build linux

package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// listenFlags declares the flags of a command that listens on a socket
// in her manager's place (hang, fakebus): -for, -stop and -ready.
func listenFlags(name string) (fs *flag.FlagSet, d *time.Duration, stop, ready *string) {
	fs = flag.NewFlagSet(name, flag.ContinueOnError)
	d = fs.Duration("for", 60*time.Second, "how long to listen")
	stop = fs.String("stop", "", "stop when this file exists")
	ready = fs.String("ready", "", "write this file once listening")
	return fs, d, stop, ready
}

// cmdHang: attacker hang [-for D] [-stop FILE] [-ready FILE] SOCKET (see
// the package doc).
func cmdHang(args []string) error {
	fs, d, stop, ready := listenFlags("hang")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: attacker hang [-for D] [-stop FILE] [-ready FILE] SOCKET")
	}
	path := fs.Arg(0)
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		return fmt.Errorf("bind %s: %w", path, err)
	}
	defer os.Remove(path)
	if err := unix.Listen(fd, 64); err != nil {
		return err
	}
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte("listening on "+path+"\n"), 0o644); err != nil {
			return err
		}
	}
	var held []int
	defer func() {
		for _, c := range held {
			_ = unix.Close(c)
		}
	}()
	for end := time.Now().Add(*d); time.Now().Before(end); {
		if *stop != "" {
			if _, err := os.Lstat(*stop); err == nil {
				break
			}
		}
		if c, _, err := unix.Accept(fd); err == nil {
			held = append(held, c)
			continue
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("hang %s: %d connections held, none answered\n", path, len(held))
	return nil
}
