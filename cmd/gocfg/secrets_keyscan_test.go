package main

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"
)

// A server that answers but offers no ed25519 key is told apart from one
// that cannot be reached.
func TestKeyscanErrorListening(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	opts := &secretsKeyscanOptions{Port: port, Timeout: 1}
	err = keyscanError(context.Background(), "127.0.0.1", opts, "# 127.0.0.1:"+strconv.Itoa(port)+" SSH-2.0-OpenSSH_9.2\n", errors.New("exit status 1"))
	want := "127.0.0.1:" + strconv.Itoa(port) + ": the SSH server offered no ed25519 host key (ssh-keyscan: exit status 1)"
	var h hintError
	if !errors.As(err, &h) || err.Error() != want {
		t.Fatalf("keyscanError = %v, want %q with a hint", err, want)
	}
	if h.hints[0] != "on the host, ssh-keygen -A makes the missing host keys; age needs its ed25519 key" {
		t.Errorf("hint = %q", h.hints[0])
	}
	err = keyscanError(context.Background(), "127.0.0.1", opts, "write (127.0.0.1): Broken pipe\n", nil)
	if want := "127.0.0.1:" + strconv.Itoa(port) + ": the SSH server offered no ed25519 host key (ssh-keyscan: write (127.0.0.1): Broken pipe)"; err.Error() != want {
		t.Errorf("keyscanError = %v, want %q", err, want)
	}
}

func TestRecipientName(t *testing.T) {
	for host, want := range map[string]string{
		"web1.example.com": "web1",
		"web1":             "web1",
		"db-2.lan":         "db-2",
		"192.0.2.7":        "host_192_0_2_7",
		"::1":              "host_1",
		"fe80::1%eth0":     "host_fe80_1_eth0",
		"1st.example.com":  "host_1st",
	} {
		if got := recipientName(host); got != want {
			t.Errorf("recipientName(%q) = %q, want %q", host, got, want)
		}
	}
}
