package diagnostics

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Source files the tests' diagnostics point into. Ranges come from parsing
// them with hclsyntax, so their positions are real.
var files = map[string]string{
	"hosts/atlas.hcl": `# atlas
networking {
  host_name = "atlas"
}
`,
	"modules/base.hcl": `networking {
  host_name = "base"
}
`,
	"modules/multi.hcl": `# a
# b
# c
# d
# e
# f
# g
# h
dock = {
  autohide = true
  tilesize = 48
  orientation = "left"
}
two = [1,
  2]
`,
	"modules/utf8.hcl": `motd = f("héllo wörld", x)
wide = f("日本語", x)
accent = f("cafe` + "\u0301" + `", x)
`,
	"modules/tabs.hcl":   "\tvalue = f(\t\"a\",\tbad)\n",
	"modules/crlf.hcl":   "a = 1\r\nb = nope\r\n",
	"modules/broken.hcl": "a = 1\nc = \n",
}

// sources is a Writer.Sources over files.
func sources(filename string) []byte {
	src, ok := files[filename]
	if !ok {
		return nil
	}
	return []byte(src)
}

// parse parses a file of files.
func parse(t *testing.T, filename string) *hclsyntax.Body {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(files[filename]), filename, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", filename, diags)
	}
	return f.Body.(*hclsyntax.Body)
}

// expr returns the expression of the attribute at path in filename: block
// types, then the attribute name.
func expr(t *testing.T, filename string, path ...string) hclsyntax.Expression {
	t.Helper()
	body := parse(t, filename)
	for _, typ := range path[:len(path)-1] {
		var next *hclsyntax.Body
		for _, b := range body.Blocks {
			if b.Type == typ {
				next = b.Body
				break
			}
		}
		if next == nil {
			t.Fatalf("%s: no block %s", filename, typ)
		}
		body = next
	}
	a, ok := body.Attributes[path[len(path)-1]]
	if !ok {
		t.Fatalf("%s: no attribute %s", filename, strings.Join(path, "."))
	}
	return a.Expr
}

// rangeOf returns the range of the attribute at path in filename.
func rangeOf(t *testing.T, filename string, path ...string) *hcl.Range {
	t.Helper()
	r := expr(t, filename, path...).Range()
	return &r
}

// argRange returns the range of argument i of the function call assigned
// to the attribute name in filename.
func argRange(t *testing.T, filename, name string, i int) *hcl.Range {
	t.Helper()
	call, ok := expr(t, filename, name).(*hclsyntax.FunctionCallExpr)
	if !ok {
		t.Fatalf("%s: %s is not a function call", filename, name)
	}
	r := call.Args[i].Range()
	return &r
}

// parseErrors parses src as filename and returns its (real) diagnostics.
func parseErrors(t *testing.T, filename string) hcl.Diagnostics {
	t.Helper()
	_, diags := hclsyntax.ParseConfig([]byte(files[filename]), filename, hcl.InitialPos)
	if !diags.HasErrors() {
		t.Fatalf("parse %s: no errors", filename)
	}
	return diags
}

// conflict is the diagnostic of DESIGN.md's example.
func conflict(t *testing.T) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Conflicting definitions for networking.host_name",
		Detail: `The option networking.host_name has conflicting definition values:
- hosts/atlas.hcl:3:15: "atlas"
- modules/base.hcl:2:15: "base"`,
		Subject: rangeOf(t, "hosts/atlas.hcl", "networking", "host_name"),
	}
}

// conflictWritten is conflict as Write writes it with its source.
const conflictWritten = `gocfg: error: Conflicting definitions for networking.host_name
  --> hosts/atlas.hcl:3:15
   |
 3 |   host_name = "atlas"
   |               ^^^^^^^
   = The option networking.host_name has conflicting definition values:
     - hosts/atlas.hcl:3:15: "atlas"
     - modules/base.hcl:2:15: "base"
`

// conflictIn is conflict without its detail, its subject in filename.
func conflictIn(t *testing.T, filename string) *hcl.Diagnostic {
	d := conflict(t)
	d.Detail = ""
	d.Subject.Filename = filename
	return d
}

// errorAt is the diags of one error, summary, at the attribute at path in
// filename.
func errorAt(summary, filename string, path ...string) func(*testing.T) hcl.Diagnostics {
	return oneAt(hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary}, filename, path...)
}

// unknownArg is an Unknown variable error at argument 1 of the function
// call assigned to name in filename.
func unknownArg(t *testing.T, filename, name string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unknown variable",
		Subject:  argRange(t, filename, name, 1),
	}
}

// oneAt is the diags of d alone, its subject the attribute at path in
// filename.
func oneAt(d hcl.Diagnostic, filename string, path ...string) func(*testing.T) hcl.Diagnostics {
	return func(t *testing.T) hcl.Diagnostics {
		d := d
		d.Subject = rangeOf(t, filename, path...)
		return hcl.Diagnostics{&d}
	}
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name  string
		w     Writer // Out is set by the test
		diags func(t *testing.T) hcl.Diagnostics
		want  string
	}{
		{
			name:  "single line",
			w:     Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics { return hcl.Diagnostics{conflict(t)} },
			want:  conflictWritten,
		},
		{
			name:  "multi-line range shows three lines, numbers right-aligned",
			w:     Writer{Sources: sources},
			diags: errorAt("Unsupported attribute", "modules/multi.hcl", "dock"),
			want: `gocfg: error: Unsupported attribute
   --> modules/multi.hcl:9:8
    |
  9 | dock = {
    |        ^
 10 |   autohide = true
 11 |   tilesize = 48
`,
		},
		{
			name:  "multi-line range shorter than three lines",
			w:     Writer{Sources: sources},
			diags: errorAt("Inconsistent list", "modules/multi.hcl", "two"),
			want: `gocfg: error: Inconsistent list
   --> modules/multi.hcl:14:7
    |
 14 | two = [1,
    |       ^^^
 15 |   2]
`,
		},
		{
			name: "UTF-8 and wide characters before the range",
			w:    Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics {
				var diags hcl.Diagnostics
				for _, name := range []string{"motd", "wide", "accent"} {
					diags = append(diags, unknownArg(t, "modules/utf8.hcl", name))
				}
				return diags
			},
			// hcl counts columns in characters: "x" is the 25th of line 1
			// although it is byte 27; 日本語 are three characters but six
			// terminal cells; é written as e and a combining accent is one
			// character and one cell.
			want: `gocfg: error: Unknown variable
  --> modules/utf8.hcl:1:25
   |
 1 | motd = f("héllo wörld", x)
   |                         ^

gocfg: error: Unknown variable
  --> modules/utf8.hcl:2:17
   |
 2 | wide = f("日本語", x)
   |                    ^

gocfg: error: Unknown variable
  --> modules/utf8.hcl:3:20
   |
 3 | accent = f("cafe` + "\u0301" + `", x)
   |                    ^
`,
		},
		{
			name: "tabs expanded the same in source and underline",
			w:    Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics {
				return hcl.Diagnostics{unknownArg(t, "modules/tabs.hcl", "value")}
			},
			want: "gocfg: error: Unknown variable\n" +
				"  --> modules/tabs.hcl:1:18\n" +
				"   |\n" +
				" 1 |     value = f(  \"a\",    bad)\n" +
				"   |                         ^^^\n",
		},
		{
			name:  "CRLF line endings",
			w:     Writer{Sources: sources},
			diags: errorAt("Unknown variable", "modules/crlf.hcl", "b"),
			want: `gocfg: error: Unknown variable
  --> modules/crlf.hcl:2:5
   |
 2 | b = nope
   |     ^^^^
`,
		},
		{
			name: "parser error, empty range at the end of a line",
			w:    Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics {
				return parseErrors(t, "modules/broken.hcl")
			},
			want: `gocfg: error: Invalid expression
  --> modules/broken.hcl:2:5
   |
 2 | c = 
   |     ^
   = Expected the start of an expression, but found an invalid expression token.
`,
		},
		{
			name: "warning",
			w:    Writer{Sources: sources},
			diags: oneAt(hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Deprecated option",
				Detail:   "networking.host_name is deprecated; use networking.hostname.",
			}, "modules/base.hcl", "networking", "host_name"),
			want: `gocfg: warning: Deprecated option
  --> modules/base.hcl:2:15
   |
 2 |   host_name = "base"
   |               ^^^^^^
   = networking.host_name is deprecated; use networking.hostname.
`,
		},
		{
			name: "no subject",
			w:    Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics {
				return hcl.Diagnostics{{
					Severity: hcl.DiagError,
					Summary:  "No entry module",
					Detail:   "Neither hosts/atlas.hcl nor default.hcl exists.\n\nhint: run gocfg init",
				}}
			},
			want: `gocfg: error: No entry module
   = Neither hosts/atlas.hcl nor default.hcl exists.
gocfg: hint: run gocfg init
`,
		},
		{
			name:  "no Sources",
			w:     Writer{},
			diags: func(t *testing.T) hcl.Diagnostics { return hcl.Diagnostics{conflict(t)} },
			want: `gocfg: error: Conflicting definitions for networking.host_name
  --> hosts/atlas.hcl:3:15
   = The option networking.host_name has conflicting definition values:
     - hosts/atlas.hcl:3:15: "atlas"
     - modules/base.hcl:2:15: "base"
`,
		},
		{
			name: "missing source file",
			w:    Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics {
				return hcl.Diagnostics{conflictIn(t, "hosts/gone.hcl")}
			},
			want: `gocfg: error: Conflicting definitions for networking.host_name
  --> hosts/gone.hcl:3:15
`,
		},
		{
			name: "offsets out of range for the source",
			w:    Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics {
				d := conflictIn(t, "hosts/atlas.hcl")
				d.Subject.Start.Byte += 1000
				d.Subject.End.Byte += 1000
				backwards := conflictIn(t, "hosts/atlas.hcl")
				backwards.Subject.End.Byte = backwards.Subject.Start.Byte - 1
				return hcl.Diagnostics{d, backwards}
			},
			want: `gocfg: error: Conflicting definitions for networking.host_name
  --> hosts/atlas.hcl:3:15

gocfg: error: Conflicting definitions for networking.host_name
  --> hosts/atlas.hcl:3:15
`,
		},
		{
			name: "source changed since parsing",
			w: Writer{Sources: func(name string) []byte {
				switch name {
				case "lines-added.hcl":
					return []byte("# one\n# two\n# atlas\nnetworking {\n  host_name = \"atlas\"\n}\n")
				case "line-removed.hcl":
					// The subject's byte offset now starts line 3.
					return []byte("networking {\n  host_name = \"atlas\"\n}\n# padding\n")
				}
				return nil
			}},
			diags: func(t *testing.T) hcl.Diagnostics {
				var diags hcl.Diagnostics
				for _, name := range []string{"lines-added.hcl", "line-removed.hcl"} {
					diags = append(diags, conflictIn(t, name))
				}
				return diags
			},
			want: `gocfg: error: Conflicting definitions for networking.host_name
  --> lines-added.hcl:3:15

gocfg: error: Conflicting definitions for networking.host_name
  --> line-removed.hcl:3:15
`,
		},
		{
			name: "hint lines",
			w:    Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics {
				d := conflict(t)
				d.Detail += "\nhint: set it in one module only\nhint: or give one definition priority with mkForce\n"
				w := &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Unused option", Detail: "hint: remove it"}
				return hcl.Diagnostics{d, nil, w}
			},
			want: conflictWritten + `gocfg: hint: set it in one module only
gocfg: hint: or give one definition priority with mkForce

gocfg: warning: Unused option
gocfg: hint: remove it
`,
		},
		{
			name: "RelTo shortens filenames under it",
			w: Writer{RelTo: "/home/alice/dotfiles", Sources: func(name string) []byte {
				return sources(strings.TrimPrefix(name, "/home/alice/dotfiles/"))
			}},
			diags: func(t *testing.T) hcl.Diagnostics {
				return hcl.Diagnostics{
					conflictIn(t, "/home/alice/dotfiles/hosts/atlas.hcl"),
					conflictIn(t, "/home/alice/dotfiles-old/hosts/atlas.hcl"),
				}
			},
			want: `gocfg: error: Conflicting definitions for networking.host_name
  --> hosts/atlas.hcl:3:15
   |
 3 |   host_name = "atlas"
   |               ^^^^^^^

gocfg: error: Conflicting definitions for networking.host_name
  --> /home/alice/dotfiles-old/hosts/atlas.hcl:3:15
`,
		},
		{
			name: "colour",
			w:    Writer{Sources: sources, Color: true},
			diags: func(t *testing.T) hcl.Diagnostics {
				d := conflict(t)
				d.Detail = "Two values.\nhint: pick one"
				w := &hcl.Diagnostic{
					Severity: hcl.DiagWarning,
					Summary:  "Deprecated option",
					Subject:  rangeOf(t, "modules/base.hcl", "networking", "host_name"),
				}
				return hcl.Diagnostics{d, w}
			},
			want: "gocfg: \x1b[1;31merror\x1b[0m: \x1b[1mConflicting definitions for networking.host_name\x1b[0m\n" +
				"  \x1b[34m-->\x1b[0m hosts/atlas.hcl:3:15\n" +
				"   \x1b[34m|\x1b[0m\n" +
				" \x1b[34m3 |\x1b[0m   host_name = \"atlas\"\n" +
				"   \x1b[34m|\x1b[0m               \x1b[1;31m^^^^^^^\x1b[0m\n" +
				"   \x1b[34m=\x1b[0m Two values.\n" +
				"gocfg: \x1b[1;36mhint\x1b[0m: pick one\n" +
				"\n" +
				"gocfg: \x1b[1;33mwarning\x1b[0m: \x1b[1mDeprecated option\x1b[0m\n" +
				"  \x1b[34m-->\x1b[0m modules/base.hcl:2:15\n" +
				"   \x1b[34m|\x1b[0m\n" +
				" \x1b[34m2 |\x1b[0m   host_name = \"base\"\n" +
				"   \x1b[34m|\x1b[0m               \x1b[1;33m^^^^^^\x1b[0m\n",
		},
		{
			name:  "nothing to write",
			w:     Writer{Sources: sources},
			diags: func(t *testing.T) hcl.Diagnostics { return nil },
			want:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := tt.w
			w.Out = &out
			if err := w.Write(tt.diags(t)); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s\ngot  %q\nwant %q", got, tt.want, got, tt.want)
			}
			if !w.Color && bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
				t.Errorf("escape code in output without Color: %q", out.String())
			}
		})
	}
}

func TestWriteNoEscapeFromSource(t *testing.T) {
	// A source line may hold control characters; they must not reach the
	// terminal.
	src := "x = \"\x1b[31mred\x07\" + y\n"
	files["evil.hcl"] = src
	defer delete(files, "evil.hcl")
	var out bytes.Buffer
	w := Writer{Out: &out, Sources: sources}
	err := w.Write(hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Unknown variable",
		Subject:  rangeOf(t, "evil.hcl", "x"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := "gocfg: error: Unknown variable\n" +
		"  --> evil.hcl:1:5\n" +
		"   |\n" +
		" 1 | x = \"\ufffd[31mred\ufffd\" + y\n" +
		"   |     ^^^^^^^^^^^^^^^\n"
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestError(t *testing.T) {
	tests := []struct {
		name  string
		color bool
		err   error
		hints []string
		want  string
	}{
		{
			name: "plain",
			err:  errors.New("/var/lib/gocfg: permission denied"),
			want: "gocfg: error: /var/lib/gocfg: permission denied\n",
		},
		{
			name:  "hints",
			err:   errors.New("no generation 7"),
			hints: []string{"gocfg generations list shows them", "or omit --to"},
			want: "gocfg: error: no generation 7\n" +
				"gocfg: hint: gocfg generations list shows them\n" +
				"gocfg: hint: or omit --to\n",
		},
		{
			name:  "colour",
			color: true,
			err:   errors.New("no generation 7"),
			hints: []string{"omit --to"},
			want: "gocfg: \x1b[1;31merror\x1b[0m: \x1b[1mno generation 7\x1b[0m\n" +
				"gocfg: \x1b[1;36mhint\x1b[0m: omit --to\n",
		},
		{
			name: "nil",
			err:  nil,
			want: "",
		},
		{
			name: "wrapped diagnostics are written as diagnostics",
			err: fmt.Errorf("load: %w", hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "No entry module",
				Detail:   "hint: run gocfg init",
			}}),
			hints: []string{"or pass --config"},
			want: "gocfg: error: No entry module\n" +
				"gocfg: hint: run gocfg init\n" +
				"gocfg: hint: or pass --config\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := Writer{Out: &out, Color: tt.color}
			if err := w.Error(tt.err, tt.hints...); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s\ngot  %q\nwant %q", got, tt.want, got, tt.want)
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	w := Writer{Out: failWriter{}}
	if err := w.Write(hcl.Diagnostics{{Summary: "x"}}); err == nil {
		t.Error("Write: want the Out error")
	}
	if err := w.Error(errors.New("x")); err == nil {
		t.Error("Error: want the Out error")
	}
}

// FuzzWrite checks that no range, however wrong for its source, panics.
func FuzzWrite(f *testing.F) {
	f.Add([]byte(files["hosts/atlas.hcl"]), 3, 15, 35, 3, 22, 42)
	f.Add([]byte(files["modules/utf8.hcl"]), 1, 25, 27, 1, 26, 28)
	f.Add([]byte("\t\r\n\xff\xfe"), 1, 1, 0, 2, 1, 5)
	f.Fuzz(func(t *testing.T, src []byte, sl, sc, sb, el, ec, eb int) {
		w := Writer{Out: &bytes.Buffer{}, Color: true, Sources: func(string) []byte { return src }}
		rng := hcl.Range{
			Filename: "f.hcl",
			Start:    hcl.Pos{Line: sl, Column: sc, Byte: sb},
			End:      hcl.Pos{Line: el, Column: ec, Byte: eb},
		}
		if err := w.Write(hcl.Diagnostics{{Summary: "x", Detail: "y\nhint: z", Subject: &rng}}); err != nil {
			t.Fatal(err)
		}
	})
}
