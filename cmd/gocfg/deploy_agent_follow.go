package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/deploy"
)

// followPoll is how often --follow looks at the log and the status.
const followPoll = 200 * time.Millisecond

// agentFollow prints DIR/log from byte opts.From as it grows until the
// agent's status is one to report (any but running), then the rest of
// the log and, as the last line, deploy.StatusPrefix and the status as
// JSON. When the log does not end in a newline, one is printed before
// that line. It exits 0 whatever the state: the state says the outcome.
// After a dropped connection, --from continues where the output ended.
func agentFollow(ctx context.Context, opts *deployAgentOptions, dir string) error {
	out := opts.Env.Stdout
	off := opts.From
	var last byte = '\n'
	if off > 0 {
		// The byte before the first one printed says whether the status
		// line needs a newline before it.
		if f, err := os.Open(filepath.Join(dir, deploy.AgentLogFile)); err == nil {
			var b [1]byte
			if n, _ := f.ReadAt(b[:], off-1); n == 1 {
				last = b[0]
			}
			f.Close()
		}
	}
	for {
		st, ok, err := readAgentStatus(dir)
		if err != nil {
			return err
		}
		if !ok {
			return withHints(fmt.Errorf("%s: no deploy agent was started there (no %s)", dir, deploy.AgentStatusFile), "start one with gocfg deploy-agent --detach")
		}
		// Everything the agent logs comes before the status it writes:
		// once a status to report is read, the log is read to its end.
		n, lastByte, err := copyLog(dir, off, out)
		if err != nil {
			return err
		}
		if n > 0 {
			off += n
			last = lastByte
		}
		if !deploy.Final(st.State) && processGone(st.PID, st.Start) {
			if st, err = agentDied(dir, func() (*machine, error) { return openMachine(opts.Env, opts.Machine) }, opts.Env.Now); err != nil {
				return err
			}
			continue
		}
		if reportable(dir, st.State) {
			st.PID, st.Start = 0, 0
			if last != '\n' {
				fmt.Fprintln(out)
			}
			js, err := json.Marshal(st)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(out, "%s%s\n", deploy.StatusPrefix, js)
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(followPoll):
		}
	}
}

// agentDied records that the agent of dir died (its process is gone)
// while its status says it runs or awaits confirmation, unless a final
// status came meanwhile, and returns the status. What the state folder
// says is current (current) decides what it says of a rollback: tester
// AR, an agent that rolled back but could not write its status (the
// file system full) was reported as having left the new generation
// current. A status it cannot write is still returned, saying so.
func agentDied(dir string, open func() (*machine, error), now func() time.Time) (agentStatus, error) {
	st, _, err := readAgentStatus(dir)
	if err != nil || deploy.Final(st.State) || !processGone(st.PID, st.Start) {
		return st, err
	}
	was, rolling, why := st.State, st.RollingBack, st.Error
	st.State, st.PID, st.Start, st.RollingBack = deploy.StateFailed, 0, 0, false
	cur := 0
	m, curErr := open()
	if curErr == nil {
		cur, curErr = m.store.Current()
	}
	switch {
	case (rolling || was == deploy.StateAwaiting) && curErr == nil && st.From != 0 && cur == st.From:
		// Rolled back, by the agent before it could say so or by hand
		// since: the generation it switched to was never confirmed, and
		// is marked refused as the agent marks it (reviewer R14), so
		// that a later rollback passes over it.
		st.State = deploy.StateRolledBack
		st.Error = fmt.Sprintf("the agent died (its process is gone while it was %s); generation %d is current again (rolled back, by the agent or by hand)", was, st.From)
		if why != "" {
			st.Error += ": " + why
		}
		if err := m.store.Refuse(st.To, "rolled back by gocfg deploy: "+st.Error, now()); err != nil {
			st.Error += fmt.Sprintf(" (generation %d not marked refused: %v)", st.To, err)
		}
	case rolling:
		st.Error = fmt.Sprintf("the agent died (its process is gone while it was rolling back to generation %d: %s): %s, finishes or undoes that rollback; then gocfg generations list shows which generation is current", st.From, why, hostRecoverers)
	case was == deploy.StateAwaiting && curErr == nil && cur != st.To:
		st.Error = fmt.Sprintf("the agent died (its process is gone while it was %s): generation %d is current, not %d; see gocfg generations list on the host", was, cur, st.To)
	case was == deploy.StateAwaiting:
		st.Error = fmt.Sprintf("the agent died (its process is gone while it was %s): generation %d stays current unless rolled back by hand", was, st.To)
	default:
		st.Error = "the agent died (its process is gone while it was " + was + "): a switch it had started is finished or undone by " + hostRecoverers + " (gocfg status says whether one waits)"
	}
	if curErr == nil && (st.State == deploy.StateRolledBack || !rolling && was == deploy.StateAwaiting) {
		st.Error += interruptedNote(m)
	}
	if err := writeAgentStatus(dir, st); err != nil {
		st.Error += fmt.Sprintf(" (not recorded in %s: %v)", deploy.AgentStatusFile, err)
	}
	return st, nil
}

// hostRecoverers names the commands on the host that finish or undo an
// interrupted switch (see recoverers).
const hostRecoverers = "the next gocfg command that changes the host, such as switch, rollback, generations gc or delete"

// interruptedNote is what agentDied adds when a switch or rollback on
// the host was cut short and its journal waits (reviewer R14: the agent
// killed after its rollback made the old generation current, but before
// its last steps, was reported rolled back with no word of them); ""
// when none waits. The reports of an agent that died running or rolling
// back say so already.
func interruptedNote(m *machine) string {
	in, err := m.engine.Interrupted()
	switch {
	case err != nil:
		return fmt.Sprintf("; whether a switch on the host was interrupted is unknown (%v): see gocfg status there", err)
	case in == nil:
		return ""
	}
	// A journal another gocfg writes now is not an interruption
	// (reviewer R15: a switch run by hand after the agent died).
	if pid := m.lockHolder(); pid > 0 {
		return fmt.Sprintf("; a %s to generation %d is under way on the host (pid %d)", in.Command, in.To, pid)
	}
	switch {
	case in.Flipped:
		return fmt.Sprintf("; the %s that made generation %d current was interrupted before its last steps: %s, finishes it", in.Command, in.To, hostRecoverers)
	default:
		return fmt.Sprintf("; a %s to generation %d was interrupted: %s, undoes it", in.Command, in.To, hostRecoverers)
	}
}

// copyLog copies DIR/log from byte off to its current end onto w and
// returns how many bytes, and the last one.
func copyLog(dir string, off int64, w io.Writer) (int64, byte, error) {
	f, err := os.Open(filepath.Join(dir, deploy.AgentLogFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.NewSectionReader(f, off, 1<<62))
	if err != nil {
		return 0, 0, err
	}
	if len(data) == 0 {
		return 0, 0, nil
	}
	if _, err := w.Write(data); err != nil {
		return 0, 0, err
	}
	return int64(len(data)), data[len(data)-1], nil
}
