package deploy

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWrapColumns(t *testing.T) {
	for _, tc := range []struct {
		name               string
		line               string
		start, next, width int
		want               []string
	}{
		{"fits", "abcdef", 4, 4, 14, []string{"abcdef"}},
		{"exactly the width", "abcdefghij", 4, 4, 14, []string{"abcdefghij"}},
		{"one over", "abcdefghijk", 4, 4, 14, []string{"abcdefghij", "k"}},
		{"continuation from next", "abcdefghijklmnopqrstuvwxyz", 4, 0, 14, []string{"abcdefghij", "klmnopqrstuvwx", "yz"}},
		{"padding cannot reach column 0", "x" + strings.Repeat(" ", 10) + "web2: ok", 6, 6, 14, []string{"x       ", "  web2: ", "ok"}},
		// beyond ASCII counts two columns: cut sooner, never later
		{"wide", "ééééééé", 4, 4, 14, []string{"ééééé", "éé"}},
		{"CJK", "日本語日本語", 0, 0, 10, []string{"日本語日本", "語"}},
		// a tab becomes the spaces to the next multiple of eight
		{"tab", "ab\tcd", 6, 6, 15, []string{"ab", "cd"}},
		{"tab to the edge", "ab\tcd", 6, 6, 16, []string{"ab        ", "cd"}},
		{"tab fits", "\tab", 0, 0, 10, []string{"        ab"}},
		// an escape stays whole; a backslash alone is a character
		{"escape", `abcdef\u202egh`, 0, 0, 10, []string{"abcdef", `\u202egh`}},
		{"byte escape", `abcdefgh\x1b`, 0, 0, 10, []string{"abcdefgh", `\x1b`}},
		{"no escape", `abcdefgh\xzz`, 0, 0, 10, []string{`abcdefgh\x`, "zz"}},
		// narrow: cut at the width all the same, a character a row at least
		{"narrow", "abcdefghij", 6, 6, 8, []string{"ab", "cd", "ef", "gh", "ij"}},
		{"no room", "abc", 6, 6, 4, []string{"a", "b", "c"}},
		{"empty", "", 6, 6, 20, []string{""}},
		// cut after the last space, words whole (tester BA)
		{"words", "unit web.service failed to start", 0, 2, 14, []string{"unit ", "web.service ", "failed to ", "start"}},
		{"word at the cut", "abc defghij", 0, 0, 8, []string{"abc ", "defghij"}},
		{"tab is a space", "abc\tdefghij", 0, 0, 12, []string{"abc     ", "defghij"}},
		{"space that does not fit", "abcdefgh ij", 0, 0, 8, []string{"abcdefgh", "ij"}},
		{"one space left out", "abcdefgh  ij", 0, 0, 8, []string{"abcdefgh", " ij"}},
		{"leading space is no cut", " abcdefghij", 0, 0, 8, []string{" abcdefg", "hij"}},
		{"word longer than a row", "ab cdefghijklmnop", 0, 0, 8, []string{"ab ", "cdefghij", "klmnop"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrapColumns(tc.line, tc.start, tc.next, tc.width)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("wrapColumns(%q, %d, %d, %d) = %q, want %q", tc.line, tc.start, tc.next, tc.width, got, tc.want)
			}
		})
	}
}

// TestPrefixedWraps (tester AT): on a terminal, a host's line that is
// wider than it is cut by gocfg, and every row begins with the host's
// prefix; padding cannot bring the host's words to column 0.
func TestPrefixedWraps(t *testing.T) {
	var buf bytes.Buffer
	w := NewOutput(&buf).Wrap(func() int { return 20 }).Host("web1")
	_, _ = w.Write([]byte("log" + strings.Repeat(" ", 17) + "web2: gocfg: confirmed\nshort\n"))
	want := "web1: log" + strings.Repeat(" ", 11) + "\n" +
		"web1:      web2: \n" +
		"web1: gocfg: \n" +
		"web1: confirmed\n" +
		"web1: short\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	for _, row := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if len(row) > 20 {
			t.Errorf("row %q is wider than the terminal", row)
		}
	}

	// A name that leaves fewer than 8 columns (reviewer R18): the name
	// on its own row, the line below it, indented.
	buf.Reset()
	w = NewOutput(&buf).Wrap(func() int { return 12 }).Host("frontend-1")
	_, _ = w.Write([]byte("aaaaweb2: ok\n"))
	if want := "frontend-1:\n  aaaaweb2: \n  ok\n"; buf.String() != want {
		t.Errorf("narrow: got\n%s\nwant\n%s", buf.String(), want)
	}

	// The width is asked at each line: the terminal may be resized.
	buf.Reset()
	width := 20
	w = NewOutput(&buf).Wrap(func() int { return width }).Host("web1")
	_, _ = w.Write([]byte(strings.Repeat("x", 20) + "\n"))
	width = 16
	_, _ = w.Write([]byte(strings.Repeat("y", 12) + "\n"))
	if want := "web1: " + strings.Repeat("x", 14) + "\nweb1: xxxxxx\nweb1: " + strings.Repeat("y", 10) + "\nweb1: yy\n"; buf.String() != want {
		t.Errorf("resized: got\n%s\nwant\n%s", buf.String(), want)
	}

	// No terminal: lines stay whole.
	buf.Reset()
	w = NewOutput(&buf).Wrap(func() int { return 0 }).Host("web1")
	long := strings.Repeat("x", 100) + "\n"
	_, _ = w.Write([]byte(long))
	if buf.String() != "web1: "+long {
		t.Errorf("got %q", buf.String())
	}
}

// TestWriteTableWrapped: on a terminal, a row wider than it is cut by
// gocfg, its continuation indented to the result column, so a host's
// long reason cannot show what looks like another host's row.
func TestWriteTableWrapped(t *testing.T) {
	results := []Result{
		{Host: "evil", From: 3, To: 4, Outcome: Failed, Why: strings.Repeat("y", 30) + " web2 5 → 6 1 2s switched"},
		{Host: "web2", From: 5, To: 5, Outcome: NoChanges, OK: true},
	}
	var buf bytes.Buffer
	if err := WriteTableWrapped(&buf, results, 64); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if !strings.HasPrefix(rows[0], "HOST") {
		t.Fatalf("64 columns leave the reason 31: want the table, got\n%s", buf.String())
	}
	hosts := 0
	for _, row := range rows {
		if n := len([]rune(row)); n > 64 {
			t.Errorf("row %q is %d columns, wider than 64", row, n)
		}
		if !strings.HasPrefix(row, " ") {
			hosts++
		}
	}
	if hosts != 3 || len(rows) <= 3 {
		t.Errorf("want the header, 2 rows and indented continuations, got\n%s", buf.String())
	}
	indent := strings.Index(rows[0], "RESULT")
	for _, row := range rows[2 : len(rows)-1] {
		if !strings.HasPrefix(row, strings.Repeat(" ", indent)) {
			t.Errorf("continuation %q is not indented to the result column", row)
		}
	}

	// Where the table would leave the reason fewer than 30 columns
	// (tester BA), each host is a list: its name and result on a row,
	// the rest indented below it, every row cut at the width, after a
	// space where there is one.
	buf.Reset()
	results[0].Took = 2 * time.Second
	results[1].Changes = 1 // no changes reports none, but says 1 as 1
	if err := WriteTableWrapped(&buf, results, 40); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{
		"evil  failed: ", "    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy web2 ", "    5 → 6 1 2s switched", "  generation 3 → 4, 0 changes, 2s",
		"web2  no changes", "  generation 5, 1 change",
	} {
		if got := strings.Split(buf.String(), "\n"); i >= len(got) || got[i] != want {
			t.Errorf("list: row %d is not %q:\n%s", i, want, buf.String())
		}
	}

	// A terminal narrower than the result column (reviewer R18): rows
	// are cut at its width all the same, continuations indented.
	for _, width := range []int{12, 5, 3} {
		buf.Reset()
		if err := WriteTableWrapped(&buf, results, width); err != nil {
			t.Fatal(err)
		}
		web2 := 0
		for _, row := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			if n := len([]rune(row)); n > width {
				t.Errorf("width %d: row %q is wider", width, row)
			}
			if strings.HasPrefix(row, "web2") {
				web2++
			}
			if row == "" || strings.HasPrefix(row, "y") || strings.HasPrefix(row, "s") {
				t.Errorf("width %d: row %q begins with the host's words", width, row)
			}
		}
		if web2 != 1 && width >= 5 { // at 3, web2's own row is cut too
			t.Errorf("width %d: %d rows begin with web2, want its own alone:\n%s", width, web2, buf.String())
		}
	}

	// No terminal: the table as WriteTable writes it.
	var whole bytes.Buffer
	buf.Reset()
	if err := WriteTable(&whole, results); err != nil {
		t.Fatal(err)
	}
	if err := WriteTableWrapped(&buf, results, 0); err != nil {
		t.Fatal(err)
	}
	if buf.String() != whole.String() || strings.Count(whole.String(), "\n") != 3 {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), whole.String())
	}
}

// TestPrefixedAside (reviewer R18): gocfg's own line is a row of its
// own, and the host's line that had not ended goes on after it.
func TestPrefixedAside(t *testing.T) {
	var buf bytes.Buffer
	w := NewOutput(&buf).Host("web1")
	_, _ = w.Write([]byte("half a"))
	aside(w, "the connection dropped; reconnecting")
	_, _ = w.Write([]byte(" line\n"))
	if want := "web1: the connection dropped; reconnecting\nweb1: half a line\n"; buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}
