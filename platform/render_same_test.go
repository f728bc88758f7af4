package platform

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

// TestViewPlanSameAsFmt: View.Plan writes its lines piece by piece into
// a buffer sized for them; the text is the one fmt made before (the
// reference below, View.Plan as it was), for random plans with IDs of
// every width (wide characters, escapes, over 60 bytes), every mix of
// before, after, note and drift, diffs, hidden changes, repeated IDs,
// notes and warnings, with and without colour.
func TestViewPlanSameAsFmt(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 1))
	words := []string{"", "", "a", "folder 0755", "link, content 1a2b3c4d", "é→ü", "日本語", "tab\there", "esc\x1b[2J", "nl\nx", "\xff", strings.Repeat("long", 20)}
	pick := func() string { return words[r.IntN(len(words))] }
	for n := range 300 {
		p := &Plan{}
		for range r.IntN(4) {
			p.Notes = append(p.Notes, pick())
		}
		for range r.IntN(3) {
			p.Warnings = append(p.Warnings, pick())
		}
		for range r.IntN(40) {
			c := Change{
				ID:     "file:~a/" + pick() + fmt.Sprint(r.IntN(8)),
				Action: []Action{Create, Update, Delete, Restore}[r.IntN(4)],
				Before: pick(), After: pick(), Note: pick(), Drift: pick(),
				Hidden: r.IntN(5) == 0,
			}
			switch r.IntN(6) {
			case 0:
				c.Diff = contentdiff.Compare([]byte("a\nb\tc\n"), []byte("a\n\x1bx\n"))
			case 1:
				c.Diff = contentdiff.Hide(contentdiff.Private)
			}
			p.Changes = append(p.Changes, c)
		}
		for _, color := range []bool{false, true} {
			var want, got strings.Builder
			if err := referencePlan(View{Out: &want, Color: color}, p, "title:"); err != nil {
				t.Fatal(err)
			}
			if err := (View{Out: &got, Color: color}).Plan(p, "title:"); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Fatalf("plan %d, colour %v: got:\n%s\nwant:\n%s", n, color, got.String(), want.String())
			}
		}
	}
}

// referencePlan is View.Plan as it was written with fmt.
func referencePlan(v View, p *Plan, title string) error {
	var b strings.Builder
	for _, n := range p.Notes {
		fmt.Fprintf(&b, "note: %s\n", Printable(n))
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
		shown := p.Shown()
		sort.SliceStable(shown, func(i, j int) bool { return shown[i].ID < shown[j].ID })
		ids := make([]string, len(shown))
		for i, c := range shown {
			ids[i] = Printable(c.ID)
		}
		idw := IDWidth(ids)
		for i, c := range shown {
			fmt.Fprintf(&b, "  %s %-*s", v.Symbol(c.Action), idw, ids[i])
			var parts []string
			switch {
			case c.Before != "" && c.After != "":
				parts = append(parts, Printable(c.Before)+" → "+Printable(c.After))
			case c.After != "":
				parts = append(parts, Printable(c.After))
			case c.Before != "":
				parts = append(parts, Printable(c.Before))
			}
			if c.Note != "" {
				parts = append(parts, "("+Printable(c.Note)+")")
			}
			if c.Drift != "" {
				parts = append(parts, v.paint(ansiYellow, "drift: "+Printable(c.Drift)))
			}
			if len(parts) > 0 {
				b.WriteString("  " + strings.Join(parts, "  "))
			}
			b.WriteString("\n")
			if c.Diff != nil {
				v.Diff(&b, c.Diff, "    ")
			}
		}
	}
	v.Warnings(&b, p.Warnings)
	if len(p.Shown()) > 0 {
		s := p.Summary() // counted as before (TestPlanSummary checks it)
		b.WriteString("\n" + v.paint(ansiBold, "Plan:") + fmt.Sprintf(" %d to add, %d to change, %d to remove.", s.Add, s.Change, s.Remove) + "\n")
	}
	_, err := fmt.Fprint(v.Out, b.String())
	return err
}
