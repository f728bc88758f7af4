package platform

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gocfg/gocfg/generations"
)

// A View prints plans for people.
type View struct {
	Out   io.Writer
	Color bool
}

const (
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func (v View) paint(color, s string) string {
	if !v.Color {
		return s
	}
	return color + s + ansiReset
}

func (v View) symbol(a Action) string {
	s := a.Symbol()
	switch a {
	case Create:
		return v.paint(ansiGreen, s)
	case Update:
		return v.paint(ansiYellow, s)
	case Delete, Restore:
		return v.paint(ansiRed, s)
	}
	return s
}

// Plan prints the changes (one line each, Terraform's + ~ - marks), the
// notes and warnings, and the summary line. title introduces the changes
// ("gocfg will make these changes:").
func (v View) Plan(p *Plan, title string) error {
	var b strings.Builder
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if len(p.Notes) > 0 {
		b.WriteString("\n")
	}
	switch {
	case p.Empty():
		b.WriteString("No changes: the machine matches the configuration.\n")
	case len(p.Shown()) == 0:
		b.WriteString("No changes to the machine; the next generation records what gocfg stops managing.\n")
	default:
		b.WriteString(title + "\n\n")
		// Listed by ID (files under their folders); applied in dependency order.
		shown := p.Shown()
		sort.SliceStable(shown, func(i, j int) bool { return shown[i].ID < shown[j].ID })
		v.changes(&b, shown)
	}
	v.warnings(&b, p.Warnings)
	if len(p.Shown()) > 0 {
		b.WriteString("\n" + v.summaryLine(p.Summary()) + "\n")
	}
	_, err := io.WriteString(v.Out, b.String())
	return err
}

func (v View) changes(b *strings.Builder, cs []Change) {
	idw := 0
	for _, c := range cs {
		if n := len(c.ID); n > idw && n <= 60 {
			idw = n
		}
	}
	for _, c := range cs {
		fmt.Fprintf(b, "  %s %-*s", v.symbol(c.Action), idw, c.ID)
		var parts []string
		switch {
		case c.Before != "" && c.After != "":
			parts = append(parts, c.Before+" → "+c.After)
		case c.After != "":
			parts = append(parts, c.After)
		case c.Before != "":
			parts = append(parts, c.Before)
		}
		if c.Note != "" {
			parts = append(parts, "("+c.Note+")")
		}
		if c.Drift != "" {
			parts = append(parts, v.paint(ansiYellow, "drift: "+c.Drift))
		}
		if len(parts) > 0 {
			b.WriteString("  " + strings.Join(parts, "  "))
		}
		b.WriteString("\n")
	}
}

func (v View) warnings(b *strings.Builder, ws []string) {
	if len(ws) == 0 {
		return
	}
	b.WriteString("\n")
	for _, w := range ws {
		fmt.Fprintf(b, "%s %s\n", v.paint(ansiYellow, "warning:"), w)
	}
}

func (v View) summaryLine(s generations.Summary) string {
	return v.paint(ansiBold, "Plan:") + fmt.Sprintf(" %d to add, %d to change, %d to remove.", s.Add, s.Change, s.Remove)
}

// PlanJSON is the machine-readable view of a plan (`--json`).
type PlanJSON struct {
	FormatVersion string              `json:"format_version"`
	Changes       []Change            `json:"changes"`
	Notes         []string            `json:"notes"`
	Warnings      []string            `json:"warnings"`
	Conflicts     []Conflict          `json:"conflicts"`
	Summary       generations.Summary `json:"summary"`
}

// NewPlanJSON makes the JSON view of p; slices are never null.
func NewPlanJSON(p *Plan) PlanJSON {
	j := PlanJSON{FormatVersion: "1", Changes: p.Shown(), Notes: p.Notes, Warnings: p.Warnings, Conflicts: p.Conflicts, Summary: p.Summary()}
	if j.Changes == nil {
		j.Changes = []Change{}
	}
	if j.Notes == nil {
		j.Notes = []string{}
	}
	if j.Warnings == nil {
		j.Warnings = []string{}
	}
	if j.Conflicts == nil {
		j.Conflicts = []Conflict{}
	}
	return j
}

// WriteJSON writes v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
