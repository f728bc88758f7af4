package nspawntest

import (
	"fmt"
	"strings"
)

// execError is a command inside a container that failed: the command,
// why (usually an *exec.ExitError, which Unwrap gives), and its output.
type execError struct {
	args   []string
	err    error
	output string
}

func (e *execError) Error() string {
	out := strings.TrimRight(e.output, "\n")
	if out == "" {
		return fmt.Sprintf("nspawntest: %s: %v (no output)", quote(e.args), e.err)
	}
	return fmt.Sprintf("nspawntest: %s: %v; output:\n%s", quote(e.args), e.err, out)
}

func (e *execError) Unwrap() error { return e.err }
