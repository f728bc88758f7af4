package platform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/internal/longjson"
	"github.com/gocfg/gocfg/platform/system"
)

// A journal is the switch in progress, written before its first op runs:
// where it goes from and to, and every op with what undoing it needs.
// Progress is appended to a log beside it ("done K", "flipped") without
// an fsync per line: after a kill the page cache still has it. On Linux
// the lines are stored into a shared mapping of the log rather than
// written (system.MapLog, sized by logSize): a killed switch's log then
// ends in the logFill bytes reserved for the lines it did not reach,
// which readLog passes over (a NUL byte, what a power loss can leave
// instead, is not passed over: it makes the log damaged). The log
// is believed only when it is whole (see readLog) and written in this
// boot. Otherwise recovery undoes what may have run: the log is made
// durable before the first op and before each op that is not
// SelfChecking (journal.Synced), so its whole first lines say which of
// those ran even after a power loss, and every SelfChecking op is undone
// (each looks at what is there). A switch whose log cannot be written
// stops and is undone, and keeps the log as it is: short of the line,
// or torn, it still has recovery undo the op that ran.
type journal struct {
	From int `json:"from"`
	To   int `json:"to"`
	// Created: the switch wrote generation To (recovery deletes it when it
	// never became current); false for a rollback to an existing one.
	Created bool   `json:"created"`
	Command string `json:"command"`
	// Boot names the boot the switch ran in (system.BootID; "" unknown,
	// or a journal of an older gocfg). Recovery in the same boot trusts
	// a whole progress log: a kill leaves it in the page cache. After a
	// restart (a power loss) the log's last lines may be lost while the
	// ops they recorded reached the disk: see Synced.
	Boot string `json:"boot,omitempty"`
	// Synced: the log was made durable before the first op and before
	// each op not marked Checked (false in journals of older gocfg).
	// After a restart its whole first lines are then believed for those
	// ops: one that is not marked done, and not the one after the last
	// marked, never started; Checked ops are all undone. Its key is
	// "log_synced": the journals of c925535, which said "synced" without
	// marking each op Checked, are read as older ones (reviewer R30).
	Synced bool `json:"log_synced,omitempty"`
	// Version is the version of the gocfg that wrote it (Engine.Version;
	// "" in journals of older gocfg), named when a gocfg that does not
	// know one of its op types meets it.
	Version string      `json:"version,omitempty"`
	Ops     []encodedOp `json:"ops"`
	Hooks   []Hook      `json:"hooks,omitempty"`
}

// check says why j cannot be a journal gocfg wrote: an empty or damaged
// file must not read as a switch from and to generation 0 with no ops.
func (j *journal) check() error {
	// `gocfg secrets activate` (the boot unit's) journals its steps in
	// the current generation, from and to it (reviewer R31: killed by a
	// power loss at boot, its journal was "damaged", and every later
	// switch and rollback stopped).
	activate := j.Command == "secrets activate"
	switch {
	case j.Command != "switch" && j.Command != "rollback" && !activate:
		return fmt.Errorf("its command is %q, not switch, rollback or secrets activate", j.Command)
	case j.To < 1:
		return fmt.Errorf("it goes to generation %d", j.To)
	case j.From < 0 || j.From == j.To && !activate || activate && j.From != j.To:
		return fmt.Errorf("it goes from generation %d to %d", j.From, j.To)
	}
	for i, op := range j.Ops {
		if op.ID == "" || op.Type == "" || len(op.Data) == 0 {
			return fmt.Errorf("step %d has no id, type or data", i+1)
		}
	}
	return nil
}

func logPath(journalPath string) string {
	return strings.TrimSuffix(journalPath, ".json") + ".log"
}

func writeJournal(sys system.System, path string, j *journal) error {
	data, err := encodeJournal(j)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return sys.WriteFile(path, data, 0o600)
}

// openLog makes the progress log of the journal at path, for nops ops,
// anew (a log left without its journal, by a kill between removing the
// two, is removed first); dir is the state folder, whose file system
// sync makes the log durable where its writer cannot (logWriter.sync).
func openLog(sys system.System, path string, nops int, dir string) (*logWriter, error) {
	if err := sys.Remove(logPath(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	w, err := sys.OpenAppend(logPath(path), 0o600)
	if err != nil {
		return nil, err
	}
	return &logWriter{w: system.MapLog(w, logSize(nops), logFill), sys: sys, dir: dir}, nil
}

// encodeJournal is json.Marshal(j), with the ops encoded a part at a
// time into one buffer (longjson): a first switch of 10,000 dotfiles
// journals 11,102 ops.
func encodeJournal(j *journal) ([]byte, error) {
	withNil, withEmpty := *j, *j
	withNil.Ops, withEmpty.Ops = nil, []encodedOp{}
	return longjson.Marshal(longjson.Doc{Whole: j, Nil: &withNil, Empty: &withEmpty, Len: len(j.Ops),
		Part: func(lo, hi int) any { return j.Ops[lo:hi] }})
}

// readJournal returns nil when there is no journal. A journal that is
// empty, truncated, not JSON or not one gocfg wrote is a
// *generations.DamagedError naming it.
func readJournal(sys system.System, path string) (*journal, error) {
	data, err := sys.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j journal
	if err := generations.DecodeRecord(path, data, json.Unmarshal, &j); err != nil {
		return nil, err
	}
	if err := j.check(); err != nil {
		return nil, &generations.DamagedError{Path: path, Err: err}
	}
	return &j, nil
}

// progress is what the journal log says happened.
type progress struct {
	lastDone int // index of the last op done, -1 for none
	flipped  bool
	known    bool // the log was there and is whole
	present  bool // the log was there
	// whole is the index of the last "done" of the log's whole first
	// lines ("done 0" up, each with its newline, before anything else:
	// a torn line, the fill, a NUL), -1 for none: what a synced journal's
	// recovery believes after a restart (journal.Synced).
	whole int
	// distrust says why a log that is there cannot be believed ("" when
	// it can): recovery then undoes every op of the journal.
	distrust string
}

// readLog reads the progress log of the journal at path, for a journal
// of nops ops. The log is believed only when it is whole: every line
// ends with a newline, the "done K" lines count up from 0 without a gap
// and stay below nops, and "flipped" comes last. A log that cannot be
// read, has a torn last line (a write cut short by a full disk, a power
// loss) or anything else is distrusted, and so is not known.
func readLog(sys system.System, path string, nops int) progress {
	p := progress{lastDone: -1, whole: -1}
	data, err := sys.ReadFile(logPath(path))
	if errors.Is(err, fs.ErrNotExist) {
		return p
	}
	p.present = true
	if err != nil {
		// It says nothing (an I/O error where a power loss tore a
		// sector): every op may have run (reviewer R29).
		p.distrust = fmt.Sprintf("could not be read (%v)", err)
		p.whole = nops - 1
		return p
	}
	p.whole = wholeDone(data, nops)
	// The room a mapped log reserved and its switch did not reach.
	data = bytes.TrimRight(data, string(logFill))
	if len(data) == 0 {
		p.known = true
		return p
	}
	if data[len(data)-1] != '\n' {
		p.distrust = "ends in a torn line"
		return p
	}
	for i, line := range strings.Split(string(data[:len(data)-1]), "\n") {
		k, isDone := strings.CutPrefix(line, "done ")
		n, err := strconv.Atoi(k)
		switch {
		case line == "flipped" && !p.flipped:
			p.flipped = true
		case isDone && !p.flipped && err == nil && strconv.Itoa(n) == k && n == p.lastDone+1 && n < nops:
			p.lastDone = n
		default:
			p.lastDone, p.flipped = -1, false
			p.distrust = fmt.Sprintf("is damaged at line %d (%q)", i+1, line)
			return p
		}
	}
	p.known = true
	return p
}

// wholeDone returns the index of the last "done" line of data's whole
// first lines: "done 0", "done 1" and on, each ended by a newline, up to
// the first byte that is not one (-1 for none). After a power loss, each
// part of a log the disk did not get back holds what it held at the last
// sync (lines then the fill, or nothing), so these lines ran.
func wholeDone(data []byte, nops int) int {
	last := -1
	want := []byte("done 0\n")
	for last+1 < nops && bytes.HasPrefix(data, want) {
		data = data[len(want):]
		last++
		want = strconv.AppendInt(append(want[:0], "done "...), int64(last+1), 10)
		want = append(want, '\n')
	}
	return last
}

// removeJournal removes the journal, then its log: a kill in between
// leaves a log without a journal, which nothing reads (writeJournal
// removes it), rather than a journal without its log, which would undo
// every op (reviewer R28).
func removeJournal(sys system.System, path string) error {
	if err := sys.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := sys.Remove(logPath(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// logFill fills the room of a mapped log that holds no line yet: a
// space, which no line ends in.
const logFill = ' '

// logSize is the room the log of a switch of nops ops takes at the most:
// "done K" for every op, then "flipped", each with its newline.
func logSize(nops int) int64 {
	size := int64(len("flipped\n"))
	for lo, hi, digits := 0, 10, 1; lo < nops; lo, hi, digits = hi, hi*10, digits+1 {
		size += int64(min(nops, hi)-lo) * int64(len("done \n")+digits)
	}
	return size
}

// logWriter appends progress lines; a nil one writes nothing.
type logWriter struct {
	w   io.WriteCloser
	buf []byte // done's line
	// sys and dir sync a log whose writer cannot (sys.Sync of dir).
	sys     system.System
	dir     string
	unsaved bool // a line was written since the last sync
}

// sync makes the lines written so far durable: the writer's Sync (an
// fsync of the log) when it has one, else a Sync of the state folder's
// file system.
func (l *logWriter) sync() error {
	if l == nil || l.w == nil || !l.unsaved {
		return nil
	}
	var err error
	if s, ok := l.w.(interface{ Sync() error }); ok {
		err = s.Sync()
	} else {
		err = l.sys.Sync(l.dir)
	}
	if err == nil {
		l.unsaved = false
	}
	return err
}

// mark appends one line. An error means the line may be missing or torn.
func (l *logWriter) mark(format string, args ...any) error {
	if l == nil || l.w == nil {
		return nil
	}
	l.unsaved = true
	_, err := fmt.Fprintf(l.w, format+"\n", args...)
	return err
}

// done marks op i done ("done i"), as mark("done %d", i) would, without
// formatting: a switch marks every one of its ops (10,000 for as many
// dotfiles).
func (l *logWriter) done(i int) error {
	if l == nil || l.w == nil {
		return nil
	}
	line := strconv.AppendInt(append(l.buf[:0], "done "...), int64(i), 10)
	l.buf = append(line, '\n')
	l.unsaved = true
	_, err := l.w.Write(l.buf)
	return err
}

func (l *logWriter) close() {
	if l != nil && l.w != nil {
		_ = l.w.Close()
		l.w = nil
	}
}
