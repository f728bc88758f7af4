package errorfixture

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// recorder is a testing.TB that keeps what Check reports.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatal(args ...any) {
	r.msgs = append(r.msgs, "fatal: "+fmt.Sprint(args...))
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) { r.Fatal(fmt.Sprintf(format, args...)) }

// check runs Check on a recorder, in a goroutine of its own (Fatal ends
// it), and returns what it reported.
func check(file string, diags hcl.Diagnostics) []string {
	r := &recorder{}
	var wg sync.WaitGroup
	wg.Go(func() { Check(r, file, diags) })
	wg.Wait()
	slices.Sort(r.msgs)
	return r.msgs
}

func TestCheck(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.hcl")
	src := "a = 1 # ERROR: Unsupported argument\nb = 2\nc = x # ERROR: Unknown variable\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	unmarked := filepath.Join(t.TempDir(), "unmarked.hcl")
	if err := os.WriteFile(unmarked, []byte("a = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	at := func(severity hcl.DiagnosticSeverity, line int, summary string) *hcl.Diagnostic {
		return &hcl.Diagnostic{Severity: severity, Summary: summary, Subject: &hcl.Range{Filename: file, Start: hcl.Pos{Line: line}}}
	}
	both := hcl.Diagnostics{at(hcl.DiagError, 1, "Unsupported argument"), at(hcl.DiagError, 3, "Unknown variable")}
	tests := []struct {
		name  string
		file  string
		diags hcl.Diagnostics
		want  []string
	}{
		{"every marked line has its error", file, both, nil},
		{"a warning anywhere is not an error", file, append(both, at(hcl.DiagWarning, 2, "Deprecated")), nil},
		{"a marked line without an error", file, both[:1], []string{`line 3: no error, want "Unknown variable"`}},
		{"another summary", file, hcl.Diagnostics{both[0], at(hcl.DiagError, 3, "Unsupported block")}, []string{`line 3: error "Unsupported block", want "Unknown variable"`}},
		{"an error on an unmarked line", file, append(both, at(hcl.DiagError, 2, "Extra")), []string{`line 2: unexpected error "Extra"`}},
		{"two errors on one line", file, append(both, at(hcl.DiagError, 1, "Again")), []string{`line 1: two errors: "Unsupported argument" and "Again"`}},
		{"an error without a source range", file, append(both, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Lost", Detail: "where?"}), []string{"error without a source range: Lost: where?"}},
		{"an error in another file", file, append(both, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Elsewhere", Subject: &hcl.Range{Filename: "/other.hcl"}}), []string{"error in another file /other.hcl: Elsewhere"}},
		{"a fixture without a marker", unmarked, nil, []string{"fatal: fixture has no # ERROR: marker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := check(tt.file, tt.diags); !slices.Equal(got, tt.want) {
				t.Errorf("Check reported %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCheckNoFixture(t *testing.T) {
	got := check(filepath.Join(t.TempDir(), "absent.hcl"), nil)
	if len(got) != 1 || !strings.HasPrefix(got[0], "fatal: open ") {
		t.Errorf("Check reported %q, want the file's open error, fatal", got)
	}
}

func TestMarkersOfLines(t *testing.T) {
	got := markers([]byte("x = 1\ny = 2   #ERROR:  Bad thing  \n# ERROR: On its own line\nz # not ERROR\n"))
	want := map[int]string{2: "Bad thing", 3: "On its own line"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("markers = %v, want %v", got, want)
	}
}
