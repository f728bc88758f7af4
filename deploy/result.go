package deploy

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/internal/diagnostics"
)

// The outcomes of a host, as the table shows them.
const (
	Switched    = "switched"
	NoChanges   = "no changes"
	Failed      = "failed"
	RolledBack  = "rolled back"
	Unreachable = "unreachable"
	Skipped     = "skipped"
	Planned     = "planned" // --plan
	DryRun      = "dry run" // --dry-run
	// Interrupted: the deploy was interrupted (SIGINT, SIGTERM) while
	// the host was under way; why says what becomes of it.
	Interrupted = "interrupted"
)

// A Result is what became of one host.
type Result struct {
	Host string `json:"host"`
	// From and To are the generations before and after (0: unknown).
	From    int `json:"from,omitempty"`
	To      int `json:"to,omitempty"`
	Changes int `json:"changes"`
	// Took is the time the host took.
	Took    time.Duration `json:"-"`
	Outcome string        `json:"result"`
	// Why says why it failed, rolled back or was unreachable.
	Why string `json:"error,omitempty"`
	// SentFiles and SentBytes are the source files sent to the host (the
	// ones its previous bundle lacked) and their bytes; StreamBytes is
	// the whole stream its deploy-agent --receive read (the
	// configuration, the manifest, those files).
	SentFiles   int   `json:"sent_files"`
	SentBytes   int64 `json:"sent_bytes"`
	StreamBytes int64 `json:"stream_bytes"`
	// OK: the host is as asked (switched, no changes; planned with
	// --plan; rolled back with --rollback).
	OK bool `json:"ok"`
	// settled: the result is the host's end, which an interruption of
	// the deploy does not change (the agent's last state, a plan shown,
	// a configuration error).
	settled bool
}

// MarshalJSON adds the time in seconds. The reason shows control
// characters as escapes, as the table does: it may be a host's words,
// and JSON escapes only those below U+0020 (tester AT: C1 controls and
// bidi overrides reached the terminal through --json).
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	r.Why = diagnostics.Escaped(r.Why)
	return json.Marshal(struct {
		plain
		Seconds float64 `json:"seconds"`
	}{plain(r), r.Took.Round(time.Millisecond).Seconds()})
}

// Text is the result column: the outcome and why.
func (r Result) Text() string {
	if r.Why != "" {
		return r.Outcome + ": " + r.Why
	}
	return r.Outcome
}

// WriteTable prints the results as a table: host, generation before →
// after, changes, time, result. A reason of several lines (a unit's
// journal) is cut to its first: the host's lines above have it whole.
func WriteTable(w io.Writer, results []Result) error {
	return WriteTableWrapped(w, results, 0)
}

// WriteTableWrapped is WriteTable for a terminal width columns wide (0:
// no terminal). A row wider than it is cut by gocfg, its continuation
// indented (wrapRows): left to the terminal, a host's long reason
// wrapped to column 0, where it could show what looks like another
// host's row. Where the table would leave the reason fewer than
// listBelow columns, each host is written as a list instead
// (writeList).
func WriteTableWrapped(w io.Writer, results []Result, width int) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tGENERATION\tCHANGES\tTIME\tRESULT")
	for _, r := range results {
		c := r.cells()
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Host, c.generation, c.changes, c.took, c.result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	text := buf.String()
	header, _, _ := strings.Cut(text, "\n")
	column := strings.Index(header, "RESULT")
	if width > 0 && width-column < listBelow {
		return writeList(w, results, width)
	}
	_, err := io.WriteString(w, wrapRows(text, column, width))
	return err
}

// listBelow is the fewest columns the table leaves a host's reason;
// below it (a terminal 60 columns wide or narrower, for a table of
// short names), the reason would be cut into rows of a few words each
// (tester BA), and the hosts are written as a list.
const listBelow = 30

// writeList writes each host as its name and result on a row, cut by
// wrapRows with its continuation indented by four spaces, and its
// generation, changes and time on an indented row below:
//
//	web1  switched
//	  generation 3 → 4, 5 changes, 1.2s
//
// Only the name, which is the inventory's, begins a row at column 0.
func writeList(w io.Writer, results []Result, width int) error {
	var b strings.Builder
	for _, r := range results {
		c := r.cells()
		b.WriteString(wrapRows(r.Host+"  "+c.result+"\n", 4, width))
		var facts []string
		if c.generation != "-" {
			facts = append(facts, "generation "+c.generation)
		}
		switch c.changes {
		case "-":
		case "1":
			facts = append(facts, "1 change")
		default:
			facts = append(facts, c.changes+" changes")
		}
		if c.took != "-" {
			facts = append(facts, c.took)
		}
		if len(facts) > 0 {
			b.WriteString(wrapRows("  "+strings.Join(facts, ", ")+"\n", 4, width))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tableCells are a result's cells as the table shows them; "-" when
// there is nothing to show.
type tableCells struct {
	generation, changes, took, result string
}

func (r Result) cells() tableCells {
	c := tableCells{generation: "-", changes: "-", took: "-", result: firstLine(r.Text())}
	switch {
	case r.Outcome == RolledBack && !r.OK && r.From != 0 && r.To != 0 && r.From != r.To:
		// Refused or not confirmed: From is current again.
		c.generation = fmt.Sprintf("%d (%d rolled back)", r.From, r.To)
	case r.From != 0 && r.To != 0 && r.From != r.To:
		c.generation = strconv.Itoa(r.From) + " → " + strconv.Itoa(r.To)
	case r.From != 0:
		c.generation = strconv.Itoa(r.From)
	case r.To != 0:
		c.generation = "→ " + strconv.Itoa(r.To)
	}
	// A plan, a dry run or a rollback on request reports no count,
	// nor a host that failed before its switch.
	if r.Outcome != Skipped && r.Outcome != Unreachable && r.Outcome != Planned && r.Outcome != DryRun &&
		r.Outcome != Interrupted && !(r.OK && r.Outcome == RolledBack) && !(r.Outcome == Failed && r.From == 0 && r.To == 0) {
		c.changes = strconv.Itoa(r.Changes)
	}
	if r.Took > 0 {
		c.took = formatTook(r.Took)
	}
	return c
}

func formatTook(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// firstLine keeps a reason on the table's line: its first line, its
// control characters escaped (a host's words: tester AS hid the rows
// after its own), its spaces squeezed, and "(…, see above)" when there
// is more.
func firstLine(s string) string {
	first, rest, _ := strings.Cut(strings.TrimSpace(s), "\n")
	first = strings.Join(strings.Fields(diagnostics.Escaped(first)), " ")
	if strings.TrimSpace(rest) != "" {
		first += " (…, see above)"
	}
	return first
}

// AllOK reports whether every host is as asked.
func AllOK(results []Result) bool {
	for _, r := range results {
		if !r.OK {
			return false
		}
	}
	return true
}
