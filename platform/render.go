package platform

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/contentdiff"
)

// A View prints plans for people.
type View struct {
	Out   io.Writer
	Color bool
	// RollbackTo is the generation a rollback returns to (0: the plan
	// is a switch's, against the configuration): the lines that say
	// nothing changes name it.
	RollbackTo int
}

const (
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
	ansiBold   = "\x1b[1m"
	ansiCyan   = "\x1b[36m"
	ansiReset  = "\x1b[0m"
)

func (v View) paint(color, s string) string {
	if !v.Color {
		return s
	}
	return color + s + ansiReset
}

// Symbol is a's mark (+ ~ -), coloured when v is.
func (v View) Symbol(a Action) string {
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
//
// A first switch of 10,000 dotfiles shows 11,000 changes: they are
// listed through pointers into p.Changes (not copies of each Change,
// made again for every count), and the text is written into a buffer
// sized for it.
func (v View) Plan(p *Plan, title string) error {
	shown := make([]*Change, 0, len(p.Changes))
	for i := range p.Changes {
		if !p.Changes[i].Hidden {
			shown = append(shown, &p.Changes[i])
		}
	}
	var b strings.Builder
	for _, n := range p.Notes {
		b.WriteString("note: ")
		b.WriteString(Printable(n))
		b.WriteString("\n")
	}
	if len(p.Notes) > 0 {
		b.WriteString("\n")
	}
	// Held conflicts (a user's files left as they are, warned about
	// after the plan) mean the machine does not match.
	except := ""
	if len(p.Conflicts) > 0 {
		except = ", but for the files left as they are (below)"
	}
	switch {
	case p.Empty() && v.RollbackTo > 0:
		fmt.Fprintf(&b, "No changes: the machine matches generation %d%s.\n", v.RollbackTo, except)
	case p.Empty():
		fmt.Fprintf(&b, "No changes: the machine matches the configuration%s.\n", except)
	case len(shown) == 0 && v.RollbackTo > 0:
		fmt.Fprintf(&b, "No changes to the machine; gocfg stops managing what generation %d does not record.\n", v.RollbackTo)
	case len(shown) == 0:
		b.WriteString("No changes to the machine; the next generation records what gocfg stops managing.\n")
	default:
		b.WriteString(title)
		b.WriteString("\n\n")
		// Listed by ID (files under their folders); applied in dependency order.
		slices.SortStableFunc(shown, func(x, y *Change) int { return strings.Compare(x.ID, y.ID) })
		v.changes(&b, shown)
	}
	v.Warnings(&b, p.Warnings)
	if len(shown) > 0 {
		b.WriteString("\n")
		b.WriteString(v.SummaryLine(p.Summary()))
		b.WriteString("\n")
	}
	v.held(&b, p.Held)
	_, err := io.WriteString(v.Out, b.String())
	return err
}

// held writes the changes of the homes left as they are, if any: what
// waits behind their conflicts (tester R: root's plan said "No changes"
// and hid alice's pending change, with one conflict in her home).
func (v View) held(b *strings.Builder, held []Change) {
	var shown []*Change
	for i := range held {
		if !held[i].Hidden {
			shown = append(shown, &held[i])
		}
	}
	if len(shown) == 0 {
		return
	}
	b.WriteString("\nWaiting in the homes left as they are (not made; the switch after their conflicts are dealt with makes them):\n\n")
	slices.SortStableFunc(shown, func(x, y *Change) int { return strings.Compare(x.ID, y.ID) })
	v.changes(b, shown)
}

// changes writes a line for each of cs: its mark, its ID padded to the
// column (fmt's %-*s: counted in characters), and its parts, each after
// two spaces; then its diff.
func (v View) changes(b *strings.Builder, cs []*Change) {
	ids := make([]string, len(cs))
	size := 0
	for i, c := range cs {
		ids[i] = Printable(c.ID)
		size += len(c.Before) + len(c.After) + len(c.Note)
	}
	idw := IDWidth(ids)
	// Each line's mark, ID column and separators, and its parts' text
	// (the diffs, at most 100 of them, grow it on their own).
	b.Grow(b.Len() + size + len(cs)*(idw+24))
	for i, c := range cs {
		b.WriteString("  ")
		b.WriteString(v.Symbol(c.Action))
		b.WriteByte(' ')
		b.WriteString(ids[i])
		for n := utf8.RuneCountInString(ids[i]); n < idw; n++ {
			b.WriteByte(' ')
		}
		switch {
		case c.Before != "" && c.After != "":
			b.WriteString("  ")
			b.WriteString(Printable(c.Before))
			b.WriteString(" → ")
			b.WriteString(Printable(c.After))
		case c.After != "":
			b.WriteString("  ")
			b.WriteString(Printable(c.After))
		case c.Before != "":
			b.WriteString("  ")
			b.WriteString(Printable(c.Before))
		}
		if c.Note != "" {
			b.WriteString("  (")
			b.WriteString(Printable(c.Note))
			b.WriteString(")")
		}
		if c.Drift != "" {
			b.WriteString("  ")
			b.WriteString(v.paint(ansiYellow, "drift: "+Printable(c.Drift)))
		}
		b.WriteString("\n")
		if c.Diff != nil {
			v.Diff(b, c.Diff, "    ")
		}
	}
}

// IDWidth is the width of the column of ids, as change lists print them
// after their marks: the longest of them, leaving out those longer than
// 60 characters (they overrun the column).
func IDWidth(ids []string) int {
	w := 0
	for _, id := range ids {
		if n := len(id); n > w && n <= 60 {
			w = n
		}
	}
	return w
}

// Diff writes d under a change's line, each line after indent: the
// unified diff's lines (@@ headers cyan, removed lines red, added ones
// green, when coloured), then how many lines were cut; or "content
// changed" ("new content" for a created file, "content removed" for a
// deleted one) and why, for a content not shown. A line that is not
// printable text (see Printable; tabs are) is quoted after its mark.
func (v View) Diff(b *strings.Builder, d *contentdiff.Diff, indent string) {
	if d.Hidden != "" {
		b.WriteString(indent + hiddenWhat(d.File) + " (" + hiddenWhy(d.Hidden) + ")\n")
		return
	}
	for _, l := range d.Lines {
		if l == "" {
			continue
		}
		switch l[0] {
		case '@':
			l = v.paint(ansiCyan, Printable(l))
		case '-':
			l = v.paint(ansiRed, "-"+printableText(l[1:]))
		case '+':
			l = v.paint(ansiGreen, "+"+printableText(l[1:]))
		default:
			l = l[:1] + printableText(l[1:])
		}
		b.WriteString(indent)
		b.WriteString(l)
		b.WriteString("\n")
	}
	if d.Cut > 0 {
		fmt.Fprintf(b, "%s… %d more %s not shown (+%d -%d in all)\n", indent, d.Cut, plural(d.Cut, "line", "lines"), d.Added, d.Removed)
	}
}

// hiddenWhat says what happens to a content not shown, by Diff.File.
func hiddenWhat(file string) string {
	switch file {
	case contentdiff.NewFile:
		return "new content"
	case contentdiff.DeletedFile:
		return "content removed"
	}
	return "content changed"
}

func hiddenWhy(why string) string {
	switch why {
	case contentdiff.Binary:
		return "binary, not shown"
	case contentdiff.Private:
		return "private file, not shown"
	case contentdiff.Sensitive:
		return "looks sensitive, not shown"
	case contentdiff.TooLarge:
		return "too large to show"
	}
	return Printable(why)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// printableText is s as it is when it is printable text with tabs
// (configuration files hold them), and quoted otherwise (see Printable).
func printableText(s string) string {
	if t := strings.ReplaceAll(s, "\t", " "); Printable(t) == t {
		return s
	}
	return strconv.Quote(s)
}

// Warnings writes ws after an empty line, each on a line of its own
// after "warning:"; nothing when there is none.
func (v View) Warnings(b *strings.Builder, ws []string) {
	if len(ws) == 0 {
		return
	}
	b.WriteString("\n")
	for _, w := range ws {
		fmt.Fprintf(b, "%s %s\n", v.paint(ansiYellow, "warning:"), Printable(w))
	}
}

// Printable returns s as it is when it is valid UTF-8 and every character
// of it is printable (letters, marks, numbers, punctuation, symbols and
// the ASCII space), and quoted as strconv.Quote does otherwise. Names in
// plans come from configuration and from the machine, either of which
// may be someone else's: a raw escape sequence could erase or rewrite
// lines on the terminal showing the plan, and a newline could forge one.
// Ordinary text is unchanged. Everything the View prints from a plan
// goes through it; other printers of plan data should use it too.
func Printable(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return printableSlow(s)
		}
	}
	return s
}

func printableSlow(s string) string {
	if !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// SummaryLine is the summary of a plan: "Plan: 1 to add, 0 to change, 0
// to remove."
func (v View) SummaryLine(s generations.Summary) string {
	return v.paint(ansiBold, "Plan:") + fmt.Sprintf(" %d to add, %d to change, %d to remove.", s.Add, s.Change, s.Remove)
}

// DiffSummaryLine is the summary of the differences between two
// generations: "Differences: 1 added, 0 changed, 0 removed." (tester BE:
// "Plan:" read as if gocfg generations diff planned something).
func (v View) DiffSummaryLine(s generations.Summary) string {
	return v.paint(ansiBold, "Differences:") + fmt.Sprintf(" %d added, %d changed, %d removed.", s.Add, s.Change, s.Remove)
}

// PlanJSON is the machine-readable view of a plan (`--json`).
type PlanJSON struct {
	FormatVersion string              `json:"format_version"`
	Changes       []Change            `json:"changes"`
	Notes         []string            `json:"notes"`
	Warnings      []string            `json:"warnings"`
	Conflicts     []Conflict          `json:"conflicts"`
	Summary       generations.Summary `json:"summary"`
	// Held are the changes waiting in the homes left as they are.
	Held []Change `json:"held_changes,omitempty"`
}

// NewPlanJSON makes the JSON view of p; slices are never null.
func NewPlanJSON(p *Plan) PlanJSON {
	j := PlanJSON{FormatVersion: "1", Changes: p.Shown(), Notes: p.Notes, Warnings: p.Warnings, Conflicts: p.Conflicts, Summary: p.Summary()}
	for _, c := range p.Held {
		if !c.Hidden {
			j.Held = append(j.Held, c)
		}
	}
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
