package loader

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// exprGen writes random HCL expressions from the grammar hclsyntax reads
// (and a little beyond it), with spaces, newlines and comments where a
// writer may put them and sometimes where they may not go: the byte
// fuzzer of FuzzParseFast seldom builds deep, valid structure, which is
// where the fast parser's own expression reader (fastparse_expr.go)
// works.
type exprGen struct {
	r *rand.Rand
	b strings.Builder
}

func (g *exprGen) pick(n int) int { return g.r.IntN(n) }

// gap writes what may stand between two tokens: mostly one space or
// none; in brackets (nl) sometimes a newline or a comment.
func (g *exprGen) gap(nl bool) {
	switch n := g.pick(20); {
	case n < 10:
		g.b.WriteString(" ")
	case n < 16:
	case n == 16 && nl:
		g.b.WriteString("\n  ")
	case n == 17 && nl:
		g.b.WriteString(" # c\n")
	case n == 18 && nl:
		g.b.WriteString(" // c\n ")
	case n == 19:
		switch g.pick(8) {
		case 0:
			g.b.WriteString("\n") // where it may not go, at times
		case 1, 2:
			g.b.WriteString("\t")
		default:
			g.b.WriteString("  ")
		}
	}
}

var genNames = []string{"x", "y", "config", "local", "each", "for", "in", "if", "true", "false", "null", "a_b", "c-d", "Z9"}

var genOps = []string{"||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"}

var genStrings = []string{"", "a", "caf\u00e9", "a b", "\\n", "\\\"q\\\"", "\\\\", "$", "%", "100%", "$HOME", "\\u00e9", "$${x}", "%%{x}", "\u2192 e"}

// expr writes an expression of depth at most d; nl says whether
// newlines may stand between its tokens (in brackets).
func (g *exprGen) expr(d int, nl bool) {
	if d <= 0 {
		g.term(0, nl)
		return
	}
	switch g.pick(10) {
	case 0, 1:
		g.expr(d-1, nl)
		g.gap(nl)
		g.b.WriteString(genOps[g.pick(len(genOps))])
		g.gap(nl)
		g.expr(d-1, nl)
	case 2:
		g.expr(d-1, nl)
		g.gap(nl)
		g.b.WriteString("?")
		g.gap(nl)
		g.expr(d-1, nl)
		g.gap(nl)
		g.b.WriteString(":")
		g.gap(nl)
		g.expr(d-1, nl)
	case 3:
		g.b.WriteString([]string{"!", "-", "- "}[g.pick(3)])
		g.term(d-1, nl)
	default:
		g.term(d-1, nl)
	}
}

// term writes a term and its steps.
func (g *exprGen) term(d int, nl bool) {
	switch n := g.pick(12); {
	case n < 2:
		g.b.WriteString([]string{"0", "1", "42", "1.5", "007", "3.", "1e3", "0.25", "1.5e-3", "2E+2", "9999999999999999999999"}[g.pick(11)])
	case n < 5:
		g.b.WriteString(genNames[g.pick(len(genNames))])
	case n < 6:
		g.template(d)
	case n == 6:
		g.heredoc(d)
	case n == 7 && d > 0:
		if g.pick(10) == 0 {
			g.b.WriteString("provider::p::")
		}
		g.b.WriteString(genNames[g.pick(3)])
		g.b.WriteString("(")
		k := g.items(d)
		switch g.pick(6) {
		case 0:
			if k > 0 {
				g.b.WriteString("...")
			}
		case 1:
			if k > 0 {
				g.b.WriteString(",")
			}
		}
		g.gap(true)
		g.b.WriteString(")")
	case n == 8 && d > 0:
		g.collection(d, '[', ']', func() {
			k := g.items(d)
			if k > 0 && g.pick(4) == 0 {
				g.b.WriteString(",")
			}
		})
	case n == 9 && d > 0:
		g.collection(d, '{', '}', func() {
			for i := range g.pick(4) {
				if i > 0 {
					g.b.WriteString([]string{",", "\n", ", ", ",\n", " # c\n"}[g.pick(5)])
				}
				g.gap(false)
				if g.pick(4) == 0 {
					g.b.WriteString("(")
					g.expr(d-1, true)
					g.b.WriteString(")")
				} else {
					g.term(0, false)
				}
				g.gap(false)
				g.b.WriteString([]string{"=", ":", "=", " = "}[g.pick(4)])
				g.gap(false)
				g.expr(d-1, false)
			}
		})
	case n == 10 && d > 0:
		g.b.WriteString("(")
		g.gap(true)
		g.expr(d-1, true)
		g.gap(true)
		g.b.WriteString(")")
	default:
		g.b.WriteString(genNames[g.pick(3)])
	}
	for g.pick(3) == 0 {
		switch g.pick(6) {
		case 0, 1:
			g.b.WriteString(".")
			g.b.WriteString(genNames[g.pick(len(genNames))])
		case 2:
			g.b.WriteString("[")
			g.gap(true)
			g.expr(max(d-1, 0), true)
			g.gap(true)
			g.b.WriteString("]")
		case 3:
			g.b.WriteString([]string{"[*]", ".*", "[ * ]", "[*\n]", ".0"}[g.pick(5)])
		case 4:
			g.b.WriteString(" [")
			g.b.WriteString(strconv.Itoa(g.pick(3)))
			g.b.WriteString("]")
		default:
			return
		}
	}
}

// collection writes a tuple or an object between open and closer: one
// time in three a for-expression, else the elements that elems writes.
// Both kinds of brackets hold either, so they are drawn the same way.
func (g *exprGen) collection(d int, open, closer byte, elems func()) {
	g.b.WriteByte(open)
	if g.pick(3) == 0 {
		g.forExpr(d, closer)
	} else {
		elems()
		g.gap(true)
	}
	g.b.WriteByte(closer)
}

// items writes up to three expressions of depth d-1, comma-separated
// (in brackets), and returns how many.
func (g *exprGen) items(d int) int {
	k := g.pick(4)
	for i := range k {
		if i > 0 {
			g.b.WriteString(",")
		}
		g.gap(true)
		g.expr(d-1, true)
	}
	return k
}

// forExpr writes a for-expression's inside, after its opening bracket.
func (g *exprGen) forExpr(d int, closer byte) {
	g.gap(true)
	g.b.WriteString("for ")
	if g.pick(2) == 0 {
		g.b.WriteString("k, ")
	}
	g.b.WriteString("v in ")
	g.expr(d-1, true)
	g.gap(true)
	g.b.WriteString(": ")
	if closer == '}' || g.pick(10) == 0 {
		g.expr(d-1, true)
		g.gap(true)
		g.b.WriteString("=> ")
	}
	g.expr(d-1, true)
	if g.pick(4) == 0 {
		g.b.WriteString("...")
	}
	if g.pick(3) == 0 {
		g.gap(true)
		g.b.WriteString("if ")
		g.expr(d-1, true)
	}
	g.gap(true)
}

// template writes a quoted template: text, escapes and interpolations.
func (g *exprGen) template(d int) {
	g.b.WriteString(`"`)
	for range g.pick(4) {
		switch n := g.pick(12); {
		case d > 0 && n < 4:
			g.b.WriteString("${")
			if g.pick(6) == 0 {
				g.b.WriteString("~")
			}
			g.gap(true)
			g.expr(d-1, true)
			g.gap(true)
			if g.pick(6) == 0 {
				g.b.WriteString("~")
			}
			g.b.WriteString("}")
		case d > 0 && n == 4:
			g.b.WriteString("%{ if ")
			g.expr(d-1, true)
			g.b.WriteString(" }a%{ else }b%{ endif }")
		case d > 0 && n == 5:
			g.b.WriteString("%{ for v in ")
			g.expr(d-1, true)
			g.b.WriteString(" }${v}%{ endfor }")
		default:
			g.b.WriteString(genStrings[g.pick(len(genStrings))])
		}
	}
	g.b.WriteString(`"`)
}

// heredoc writes a heredoc (<<EOT or <<-EOT, indented lines, text and
// interpolations), which ends its line.
func (g *exprGen) heredoc(d int) {
	flush := g.pick(2) == 0
	if flush {
		g.b.WriteString("<<-EOT\n")
	} else {
		g.b.WriteString("<<EOT\n")
	}
	for range g.pick(4) {
		g.b.WriteString([]string{"", "  ", "    ", "\t"}[g.pick(4)])
		for range 1 + g.pick(3) {
			if d > 0 && g.pick(3) == 0 {
				g.b.WriteString("${")
				g.expr(d-1, true)
				g.b.WriteString("}")
			} else {
				g.b.WriteString([]string{"echo $x", "a", "%", "$${y}", "\"q\"", "caf\u00e9", " "}[g.pick(7)])
			}
		}
		g.b.WriteString("\n")
	}
	g.b.WriteString([]string{"EOT", "  EOT", "EOT"}[g.pick(3)])
	g.b.WriteString("\n")
}

// body writes a random body at indentation ind: attributes, blocks with
// bare or quoted labels (nested to depth d), comments, blank lines, and
// at times what a body may not hold (a one-line block, a repeated
// attribute).
func (g *exprGen) body(d int, ind string) {
	names := []string{"a", "b2", "c_3", "for", "d-e"}
	for range g.pick(4) {
		g.b.WriteString(ind)
		switch n := g.pick(10); {
		case n < 5:
			g.b.WriteString(names[g.pick(len(names))])
			g.b.WriteString([]string{" = ", "=", "  =  "}[g.pick(3)])
			g.expr(g.pick(3), false)
			g.b.WriteString([]string{"\n", "\n", " # c\n", " // c\n", "\n\n"}[g.pick(5)])
		case n < 8 && d > 0:
			g.b.WriteString(names[g.pick(len(names))])
			for range g.pick(3) {
				g.b.WriteString([]string{` "l"`, " l", ` "caf\u00e9"`, ` ""`, `"x"`}[g.pick(5)])
			}
			if g.pick(8) == 0 {
				g.b.WriteString(" { a = 1 }\n")
				continue
			}
			g.b.WriteString(" {\n")
			g.body(d-1, ind+"  ")
			g.b.WriteString(ind + "}\n")
		case n == 8:
			g.b.WriteString([]string{"# c\n", "// c\n", "\n", "/* c */\n"}[g.pick(4)])
		default:
			g.b.WriteString("\n")
		}
	}
}

// TestParseFastRandomBodies checks parseFast against hclsyntax on
// 20,000 random bodies, as TestParseFastRandomExprs does on expressions.
func TestParseFastRandomBodies(t *testing.T) {
	checkRandomFiles(t, 20000, rand.New(rand.NewPCG(13, 14)), func(g *exprGen) { g.body(3, "") })
}

// TestParseFastRandomExprs checks parseFast against hclsyntax on 30,000
// files of one to three attributes whose values are random expressions
// (some in a block).
func TestParseFastRandomExprs(t *testing.T) {
	checkRandomFiles(t, 30000, rand.New(rand.NewPCG(11, 12)), func(g *exprGen) {
		block := g.pick(4) == 0
		if block {
			g.b.WriteString("b \"l\" {\n  ")
		}
		for j := range 1 + g.pick(3) {
			g.b.WriteString([]string{"a", "b2", "c_3"}[j] + " = ")
			g.expr(1+g.pick(4), false)
			if g.pick(5) == 0 {
				g.b.WriteString(" # end")
			}
			g.b.WriteString("\n")
		}
		if block {
			g.b.WriteString("}\n")
		}
	})
}

// checkRandomFiles writes n files with write, from r, and checks that
// parseFast gives hclsyntax's tree for each, ranges included, or hands
// it on (sameAsHCL); and that it takes at least a quarter of them, for
// the check to mean something.
func checkRandomFiles(t *testing.T, n int, r *rand.Rand, write func(g *exprGen)) {
	t.Helper()
	taken := 0
	for i := range n {
		g := &exprGen{r: r}
		write(g)
		src := []byte(g.b.String())
		if sameAsHCL(t, "r"+strconv.Itoa(i)+".hcl", src) {
			taken++
		}
		if t.Failed() {
			t.Fatalf("case %d:\n%s", i, src)
		}
	}
	if taken < n/4 {
		t.Errorf("parseFast took %d of %d random files: too few for this test to check its reader", taken, n)
	}
	t.Logf("parseFast took %d of %d", taken, n)
}
