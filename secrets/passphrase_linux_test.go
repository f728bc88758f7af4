package secrets

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"filippo.io/age"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: its controller and its terminal end.
func openPTY(t *testing.T) (controller, terminal *os.File) {
	t.Helper()
	// Non-blocking, so that the runtime poller serves it and read
	// deadlines work.
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	c := os.NewFile(uintptr(fd), "/dev/ptmx")
	t.Cleanup(func() { c.Close() })
	if err := unix.IoctlSetPointerInt(int(c.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(c.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return c, tty
}

func TestTerminalPassphrase(t *testing.T) {
	if TerminalPassphrase(bytes.NewReader(nil), io.Discard) != nil {
		t.Error("a passphrase reader for a stdin that is not a file")
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	if TerminalPassphrase(devnull, io.Discard) != nil {
		t.Error("a passphrase reader for /dev/null")
	}

	controller, tty := openPTY(t)
	var prompts bytes.Buffer
	ask := TerminalPassphrase(tty, &prompts)
	if ask == nil {
		t.Fatal("no passphrase reader for a terminal")
	}
	echoed := make(chan []byte, 1)
	go func() {
		// What the terminal shows: the passphrase must not be echoed.
		if err := controller.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
			t.Error(err)
			echoed <- nil
			return
		}
		buf := make([]byte, 256)
		var all []byte
		for {
			n, err := controller.Read(buf)
			all = append(all, buf[:n]...)
			if err != nil {
				break
			}
		}
		echoed <- all
	}()
	go typeWhenEchoOff(t, controller, tty, "correct horse\n")
	pass, err := ask("Enter passphrase for ~/.ssh/id_ed25519: ")
	if err != nil {
		t.Fatal(err)
	}
	if string(pass) != "correct horse" {
		t.Errorf("passphrase = %q", pass)
	}
	if prompts.String() != "Enter passphrase for ~/.ssh/id_ed25519: \n" {
		t.Errorf("prompt = %q", prompts.String())
	}
	if got := <-echoed; bytes.Contains(got, []byte("horse")) {
		t.Errorf("the terminal echoed the passphrase: %q", got)
	}

	// The unlocked key: a protected key opened through the terminal.
	k := ed25519Key(t, "correct horse")
	ids, err := ParseIdentities("~/.ssh/id_ed25519", k.private, ask)
	if err != nil {
		t.Fatal(err)
	}
	go typeWhenEchoOff(t, controller, tty, "correct horse\n")
	ct, err := Encrypt([]byte("via the terminal"), []age.Recipient{recipient(t, k.public)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Decrypt(ct, ids); err != nil || string(got) != "via the terminal" {
		t.Errorf("Decrypt = %q, %v", got, err)
	}
}

// typeWhenEchoOff types s on the terminal once its echo is off (a
// passphrase prompt is waiting), as a user would.
func typeWhenEchoOff(t *testing.T, controller, tty *os.File, s string) {
	for range 500 {
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Error(err)
			return
		}
		if tio.Lflag&unix.ECHO == 0 {
			if _, err := controller.WriteString(s); err != nil {
				t.Error(err)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the terminal's echo was never turned off")
}
