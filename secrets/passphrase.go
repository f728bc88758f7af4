package secrets

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// TerminalPassphrase returns a passphrase reader for ParseIdentities that
// prompts on stderr and reads a line from stdin without echo, or nil when
// stdin is not a terminal (a switch run by a timer or over a pipe cannot
// be asked anything, and a nil reader makes a protected key fail
// clearly). A signal that ends gocfg while it waits puts the terminal's
// echo back first.
func TerminalPassphrase(stdin io.Reader, stderr io.Writer) func(prompt string) ([]byte, error) {
	f, ok := stdin.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	fd := int(f.Fd())
	return func(prompt string) ([]byte, error) {
		if state, err := term.GetState(fd); err == nil {
			defer restoreOnSignal(fd, state)()
		}
		fmt.Fprint(stderr, prompt)
		pass, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return nil, err
		}
		return pass, nil
	}
}

// restoreOnSignal, until the returned function is called, catches the
// signals that end gocfg, restores the terminal state and ends gocfg with
// the same signal.
func restoreOnSignal(fd int, state *term.State) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			_ = term.Restore(fd, state)
			signal.Reset(s)
			_ = syscall.Kill(os.Getpid(), s.(syscall.Signal))
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
