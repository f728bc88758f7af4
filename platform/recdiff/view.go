package recdiff

import (
	"fmt"
	"io"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/contentdiff"
)

// A View prints a Result for people, in the plan's format (with
// platform.View's marks, warnings and summary line).
type View platform.View

// Print writes title, one line per change (+ ~ - and the ID, then its
// first field; the other fields of a change each on a line of their own,
// under the first), the warnings and the summary line. With no change it
// writes empty instead of title and summary.
func (v View) Print(r *Result, title, empty string) error {
	var b strings.Builder
	if r.Empty() {
		b.WriteString(empty + "\n")
	} else {
		b.WriteString(title + "\n\n")
		v.changes(&b, r.Changes)
	}
	platform.View(v).Warnings(&b, r.Warnings)
	if !r.Empty() {
		b.WriteString("\n" + platform.View(v).DiffSummaryLine(Summary(r.Changes)) + "\n")
	}
	_, err := io.WriteString(v.Out, b.String())
	return err
}

func (v View) changes(b *strings.Builder, cs []Change) {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = platform.Printable(c.ID)
	}
	idw := platform.IDWidth(ids)
	for i, c := range cs {
		line := fmt.Sprintf("  %s %-*s", platform.View(v).Symbol(c.Action), idw, ids[i])
		if len(c.Fields) == 0 {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			continue
		}
		if c.Action != platform.Update {
			// What is created or deleted: one line.
			parts := make([]string, len(c.Fields))
			for j, f := range c.Fields {
				parts[j] = showField(f, c.Action)
			}
			b.WriteString(line + "  " + strings.Join(parts, ", ") + "\n")
			continue
		}
		// Later fields line up under the first: past the IDs' column,
		// or past this ID when it is longer.
		indent := strings.Repeat(" ", 2+2+max(idw, len(ids[i]))+2)
		for j, f := range c.Fields {
			if j == 0 {
				b.WriteString(line + "  " + showField(f, c.Action) + "\n")
			} else {
				b.WriteString(indent + showField(f, c.Action) + "\n")
			}
		}
	}
}

// showField is one field as the text view shows it: "name: before →
// after" for an update, "name: value" for what is created or deleted;
// without "name: " for a field without a name.
func showField(f Field, a platform.Action) string {
	var val string
	switch a {
	case platform.Update:
		val = platform.Printable(orNone(f.Before)) + " → " + platform.Printable(orNone(f.After))
	case platform.Create:
		val = platform.Printable(orNone(f.After))
	default:
		val = platform.Printable(orNone(f.Before))
	}
	if f.Name == "" {
		return val
	}
	return platform.Printable(f.Name) + ": " + val
}

func orNone(s string) string {
	if s == "" {
		return None
	}
	return s
}

// JSON is the machine-readable view of a Result (`--json`). Its changes
// keep the plan JSON's id, kind, action, before and after (the fields as
// the text view shows them, on one line), and add the fields one by one.
type JSON struct {
	FormatVersion string              `json:"format_version"`
	From          int                 `json:"from"`
	To            int                 `json:"to"`
	Changes       []JSONChange        `json:"changes"`
	Warnings      []string            `json:"warnings"`
	Summary       generations.Summary `json:"summary"`
}

// A JSONChange is one Change in the JSON view.
type JSONChange struct {
	ID     string          `json:"id"`
	Kind   string          `json:"kind"`
	Action platform.Action `json:"action"`
	Before string          `json:"before,omitempty"`
	After  string          `json:"after,omitempty"`
	Fields []Field         `json:"fields"`
	// Diff is the content diff of a file whose stored content differs,
	// as plans' JSON has; NewJSON leaves it nil, for the caller that
	// compared the contents (gocfg generations diff) to set.
	Diff *contentdiff.Diff `json:"diff,omitempty"`
}

// NewJSON makes the JSON view of r, the differences from generation from
// to generation to; slices are never null.
func NewJSON(r *Result, from, to int) JSON {
	j := JSON{FormatVersion: "1", From: from, To: to, Changes: []JSONChange{}, Warnings: r.Warnings, Summary: Summary(r.Changes)}
	if j.Warnings == nil {
		j.Warnings = []string{}
	}
	for _, c := range r.Changes {
		jc := JSONChange{ID: c.ID, Kind: c.Kind, Action: c.Action, Fields: c.Fields}
		if jc.Fields == nil {
			jc.Fields = []Field{}
		}
		var before, after []string
		for _, f := range c.Fields {
			name := ""
			if f.Name != "" {
				name = f.Name + ": "
			}
			if c.Action != platform.Create {
				before = append(before, name+orNone(f.Before))
			}
			if c.Action != platform.Delete {
				after = append(after, name+orNone(f.After))
			}
		}
		jc.Before, jc.After = strings.Join(before, ", "), strings.Join(after, ", ")
		j.Changes = append(j.Changes, jc)
	}
	return j
}
