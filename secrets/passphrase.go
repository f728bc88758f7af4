package secrets

import (
	"fmt"
	"io"

	"golang.org/x/term"
)

// TerminalPassphrase returns a passphrase reader for ParseIdentities that
// prompts on stderr and reads from stdin without echo, or nil when stdin
// is not a terminal (a switch run by a timer or over a pipe cannot be
// asked anything, and a nil reader makes a protected key fail clearly).
func TerminalPassphrase(stdin io.Reader, stderr io.Writer) func(prompt string) ([]byte, error) {
	f, ok := stdin.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	fd := int(f.Fd())
	return func(prompt string) ([]byte, error) {
		fmt.Fprint(stderr, prompt)
		pass, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return nil, err
		}
		return pass, nil
	}
}
