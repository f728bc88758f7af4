package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// interruptSignals stop a switch or a rollback cleanly: Ctrl-C, the
// polite kill of kill(1), systemd and container runtimes, and the hangup
// of a terminal or an SSH session that went away (tester H: a dropped
// `sudo gocfg switch` over ssh was cut off between two steps and left
// the machine half switched until the next command). A hangup stops the
// switch as Ctrl-C does: the steps done are undone, and the machine
// stays in the generation its user last saw current.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// interrupts turn SIGINT, SIGTERM and SIGHUP into the cancellation of the
// command's context, but only inside a guard: while a switch or a
// rollback applies its steps (platform.Engine.Switch), where being killed
// between two steps would leave the machine half switched until the next
// gocfg command. There the first signal cancels the context: the engine
// finishes the step in progress (whose wait for a systemd job ends:
// system.WithInterrupt) and undoes the steps done (or, past the flip,
// lets the switch stand). Later signals are only acknowledged: the
// undo is never cut short (SIGKILL still ends gocfg, and the next command
// finishes the undo from the journal).
//
// Outside a guard the signals keep their default action and end gocfg at
// once: a read-only command, or a switch still planning, has changed
// nothing. A signal that gocfg was started with ignored (nohup, a
// background job of a script) stays ignored.
//
// gocfg deploy guards the whole deploy (guardWith, its own words): the
// first signal starts no more hosts and stops the ones under way, and
// the deploy still reports them and closes its SSH connections.
type interrupts struct {
	stderr io.Writer
	cancel context.CancelFunc

	mu     sync.Mutex
	caught int
	first  os.Signal // the first signal caught
	// what the first signal and the later ones print (guardWith).
	onFirst, onAgain string
}

// The words of a switch's guard.
const (
	switchInterrupted      = "stopping after the step in progress; wait"
	switchInterruptedAgain = "still stopping, and undoing the steps done is never cut short; wait"
)

// withInterrupts returns a context that in's guards cancel on SIGINT or
// SIGTERM.
func withInterrupts(ctx context.Context, stderr io.Writer) (context.Context, *interrupts) {
	ctx, cancel := context.WithCancel(ctx)
	return ctx, &interrupts{stderr: stderr, cancel: cancel}
}

// guard catches SIGINT and SIGTERM until release is called. A nil
// *interrupts guards nothing (commands run by tests in-process).
func (in *interrupts) guard() (release func()) {
	return in.guardWith(switchInterrupted, switchInterruptedAgain)
}

// guardWith is guard, where the first signal caught prints
// "gocfg: interrupted (SIG…): " and first, each later one
// "gocfg: interrupted again (SIG…): " and again.
func (in *interrupts) guardWith(first, again string) (release func()) {
	if in == nil {
		return func() {}
	}
	in.mu.Lock()
	in.onFirst, in.onAgain = first, again
	in.mu.Unlock()
	var sigs []os.Signal
	for _, s := range interruptSignals {
		if !signal.Ignored(s) {
			sigs = append(sigs, s)
		}
	}
	if len(sigs) == 0 {
		// signal.Notify with no signals would catch them all.
		return func() {}
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	// A reader of gocfg's output that went away (`gocfg switch | head`,
	// an SSH channel closed) makes the next write raise SIGPIPE, which
	// ends a Go program writing to its stdout or stderr at once, between
	// two steps. Caught here, it only makes that write fail: the switch
	// goes on (its output has no reader left).
	pipe := make(chan os.Signal, 1)
	if !signal.Ignored(syscall.SIGPIPE) {
		signal.Notify(pipe, syscall.SIGPIPE)
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case s := <-ch:
				in.interrupted(s)
			case <-pipe:
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(ch)
		signal.Stop(pipe)
		close(done)
		<-stopped
	}
}

// interrupted handles one signal caught inside a guard.
func (in *interrupts) interrupted(s os.Signal) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.caught++
	if in.caught == 1 {
		in.first = s
		fmt.Fprintf(in.stderr, "gocfg: interrupted (%s): %s\n", signalName(s), in.onFirst)
		in.cancel()
		return
	}
	fmt.Fprintf(in.stderr, "gocfg: interrupted again (%s): %s\n", signalName(s), in.onAgain)
}

// signal is the first signal a guard caught, or nil (none, or a nil
// *interrupts).
func (in *interrupts) signal() os.Signal {
	if in == nil {
		return nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.first
}

// exitCode is the exit status of a command that s interrupted: 128 and
// the signal's number, as a shell reports a command a signal ended (130
// for SIGINT, 143 for SIGTERM).
func exitCode(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitError
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}
