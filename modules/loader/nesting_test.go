package loader

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestNestingDepth checks what the scan counts: brackets, interpolations,
// directives and operators, but nothing inside comments or text.
func TestNestingDepth(t *testing.T) {
	tests := []struct {
		name, src string
		want      int
	}{
		{"flat", "a = 1\nb = \"x\"\n", 0},
		{"block", "users \"alice\" {\n  shell = \"/bin/zsh\"\n}\n", 1},
		{"brackets", "a = [({x = 1})]\n", 3},
		{"operators so far at each level", "a = (1 + 2) * 3 - 4\n", 2},
		{"operators before a bracket stay", "a = 1 + (2 * (3 - 4))\n", 5},
		{"newline ends an attribute", "a = 1 + 1\nb = 1 + 1\nc = 1 + 1\n", 1},
		{"comma ends a list element", "a = [1 + 1, 1 + 1, 1 + 1]\n", 2},
		{"conditional", "a = x ? y : z ? 1 : 2\n", 2},
		{"comparisons count once", "a = x == 1 && y != 2 || z >= 3\n", 5},
		{"brackets in text", "a = \"((([[[{{{ \\\" )))\"\nb = 1\n", 0},
		{"brackets in comments", "# (((((\n// [[[[[\n/* {{{{{\n((((( */\na = 1\n", 0},
		{"literal ${", "a = \"$${((((\"\n", 0},
		{"interpolation", "a = \"${[\"(((\"]}\"\n", 2},
		{"nested templates", "a = \"${\"${\"${x}\"}\"}\"\n", 3},
		{"directives", "a = \"%{ if x }%{ for y in z }${y}%{ endfor }%{ endif }\"\n", 3},
		{"heredoc", "a = <<-EOT\n  (((( ${x} \"\n  EOT\nb = [1]\n", 1},
		{"heredoc marker needs a line of its own", "a = <<EOT\nEOT x\n((((\n  EOT\nb = [1]\n", 1},
		{"heredoc with interpolation over lines", "a = <<EOT\n${[\nx,\n]}\nEOT\n", 2},
		{"identifiers with dashes", "a = foo-bar\n", 1},
		{"for expression", "a = { for k, v in x : k => v if v != null }\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, got := nestingScan([]byte(tt.src), MaxNesting)
			if at >= 0 || got != tt.want {
				t.Errorf("nestingScan(%q) = %d, %d; want -1, %d", tt.src, at, got, tt.want)
			}
		})
	}
}

// TestNestingRefused has hostile shapes of each kind the scan counts;
// each crashed hclsyntax (or the evaluation) with a stack overflow at
// tens or hundreds of thousands of levels.
func TestNestingRefused(t *testing.T) {
	const n = 70000
	tests := []struct {
		name, src string
		col       int // column where the limit is passed, on line 2
	}{
		{"parens", strings.Repeat("(", n) + "1" + strings.Repeat(")", n), 4 + MaxNesting + 1},
		{"brackets and braces", strings.Repeat("[{a = ", n), 4 + 6*MaxNesting/2 + 1},
		{"interpolations", strings.Repeat(`"${`, n) + "x" + strings.Repeat(`}"`, n), 4 + 3*MaxNesting + 2},
		{"unary operators", strings.Repeat("!", n) + "true", 4 + MaxNesting + 1},
		{"binary operators", strings.Repeat("1+", n) + "1", 4 + 2*MaxNesting + 2},
		{"conditionals", strings.Repeat("x?1:", n) + "2", 4 + 4*MaxNesting + 2},
		{"directives", `"` + strings.Repeat("%{if x}", n) + `"`, 5 + 7*(MaxNesting-1) + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte("# a module\nx = " + tt.src + "\n")
			d := checkNesting(src, "m.hcl")
			if d == nil {
				t.Fatal("no diagnostic")
			}
			if d.Subject == nil || d.Subject.Filename != "m.hcl" || d.Subject.Start.Line != 2 || d.Subject.Start.Column != tt.col {
				t.Errorf("subject %v, want m.hcl:2,%d", d.Subject, tt.col)
			}
			if b := d.Subject.Start.Byte; b >= len(src) || strings.IndexByte("([{$%!+?", src[b]) < 0 {
				t.Errorf("subject at byte %d, not at an opening", b)
			}
			if !strings.Contains(d.Summary, "500") {
				t.Errorf("summary %q does not name the limit", d.Summary)
			}
		})
	}
}

// TestNestingLimitExact: MaxNesting levels are fine, one more is not.
func TestNestingLimitExact(t *testing.T) {
	for _, n := range []int{MaxNesting, MaxNesting + 1} {
		src := "x = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "\n"
		d := checkNesting([]byte(src), "m.hcl")
		if (d != nil) != (n > MaxNesting) {
			t.Errorf("%d levels: diagnostic %v", n, d)
		}
		if d == nil {
			// The parser copes with what the limit lets through.
			if _, diags := hclsyntax.ParseConfig([]byte(src), "m.hcl", hcl.InitialPos); diags.HasErrors() {
				t.Errorf("%d levels: %s", n, diags.Error())
			}
		}
	}
}

// TestNestingOfRealModules scans every module in the repository: none
// comes near the limit, so the scan gives no false errors on them.
func TestNestingOfRealModules(t *testing.T) {
	deepest, files := 0, 0
	for _, root := range []string{"../../examples", "..", "../../e2e", "../../cmd"} {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".hcl") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files++
			at, n := nestingScan(src, MaxNesting)
			if at >= 0 || n > MaxNesting/10 {
				t.Errorf("%s: nesting %d", p, n)
			}
			if b := nestBound(src); n > b {
				t.Errorf("%s: nesting %d, more than its bound %d", p, n, b)
			}
			deepest = max(deepest, n)
			return nil
		})
	}
	if files < 20 {
		t.Fatalf("found only %d modules", files)
	}
	t.Logf("%d modules, deepest nesting %d", files, deepest)
}

// FuzzNestBound checks that nestBound is never below the deepest nesting
// nestingScan finds, so that checkNesting may skip the scan under it.
func FuzzNestBound(f *testing.F) {
	for _, c := range append(fastParseCases, "a = \"%{if x}%{for y in z}${[(1+2)*-3]}%{endfor}%{endif}\"\n", "a = <<EOT\n${{b = !c && d || e >= f}}\nEOT\n") {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, deepest := nestingScan(src, 1<<30); deepest > nestBound(src) {
			t.Errorf("nesting %d, more than its bound %d: %q", deepest, nestBound(src), src)
		}
	})
}
