package platform

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	fastjson "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/platform/system"
)

// A journal is the switch in progress, written before its first op runs:
// where it goes from and to, and every op with what undoing it needs.
// Progress is appended to a log beside it ("done K", "flipped") without
// an fsync per line: after a kill the page cache still has it, and after a
// power loss recovery undoes every op, which Undo is written to allow.
type journal struct {
	From int `json:"from"`
	To   int `json:"to"`
	// Created: the switch wrote generation To (recovery deletes it when it
	// never became current); false for a rollback to an existing one.
	Created bool        `json:"created"`
	Command string      `json:"command"`
	Ops     []encodedOp `json:"ops"`
	Hooks   []Hook      `json:"hooks,omitempty"`
}

func logPath(journalPath string) string {
	return strings.TrimSuffix(journalPath, ".json") + ".log"
}

func writeJournal(sys system.System, path string, j *journal) error {
	data, err := fastjson.Marshal(j)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := sys.Remove(logPath(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return sys.WriteFile(path, data, 0o600)
}

// readJournal returns nil when there is no journal.
func readJournal(sys system.System, path string) (*journal, error) {
	data, err := sys.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j journal
	if err := fastjson.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &j, nil
}

// progress is what the journal log says happened.
type progress struct {
	lastDone int // index of the last op done, -1 for none
	flipped  bool
	known    bool // the log was there
}

func readLog(sys system.System, path string) (progress, error) {
	p := progress{lastDone: -1}
	data, err := sys.ReadFile(logPath(path))
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	p.known = true
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "done":
			if n, err := strconv.Atoi(f[1]); err == nil && n > p.lastDone {
				p.lastDone = n
			}
		case len(f) == 1 && f[0] == "flipped":
			p.flipped = true
		}
	}
	return p, nil
}

func removeJournal(sys system.System, path string) error {
	if err := sys.Remove(logPath(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := sys.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// logWriter appends progress lines; a nil one writes nothing.
type logWriter struct{ w io.WriteCloser }

func (l *logWriter) mark(format string, args ...any) {
	if l == nil || l.w == nil {
		return
	}
	fmt.Fprintf(l.w, format+"\n", args...)
}

func (l *logWriter) close() {
	if l != nil && l.w != nil {
		_ = l.w.Close()
	}
}
