package platform

import (
	"bytes"
	"fmt"
	"testing"

	json "github.com/goccy/go-json"
)

// TestJournalEncodeSameAsMarshal: the journal written by hand is
// json.Marshal's, byte for byte, and reads back as the same journal:
// with IDs and data that json.Marshal escapes (quotes, backslashes,
// control characters, <>&, non-ASCII, invalid UTF-8, U+2028), with and
// without hooks, and with no ops at all. (Being json.Marshal's bytes,
// it reads back as the journal json.Marshal wrote did.)
func TestJournalEncodeSameAsMarshal(t *testing.T) {
	odd := []string{"", "file:~alice/.zshrc", `a"b\c`, "tab\tnl\n\x1b[2J", "<script>&amp;", "é日本", "\xff\xfe", "line\u2028sep\u2029", "\x7f"}
	for n, s := range odd {
		for _, hooks := range [][]Hook{nil, {{ID: s, Script: "echo " + s, UID: -1, GID: 5, Home: "/home/" + s}}} {
			j := &journal{From: n, To: n + 1, Created: n%2 == 0, Command: "switch", Hooks: hooks}
			if n == 0 {
				j.Command = s
			}
			for i, id := range odd {
				op, err := encodeOp(id+s, &FlipOp{State: fmt.Sprint(i) + s + id, From: i, To: n})
				if err != nil {
					t.Fatal(err)
				}
				j.Ops = append(j.Ops, op)
			}
			check := func(j *journal) {
				t.Helper()
				want, err := json.Marshal(j)
				if err != nil {
					t.Fatal(err)
				}
				got, err := j.encode()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("encode:\n%s\njson.Marshal:\n%s", got, want)
				}
				var back journal
				if err := json.Unmarshal(got, &back); err != nil || len(back.Ops) != len(j.Ops) || back.Command != j.Command {
					t.Errorf("read back as %+v, %v", back, err)
				}
			}
			check(j)
			check(&journal{From: j.From, To: j.To, Command: j.Command, Hooks: hooks})
			check(&journal{From: j.From, To: j.To, Command: j.Command, Ops: []encodedOp{}})
		}
	}
}

// BenchmarkJournalDotfiles encodes the journal of a first switch of
// 10,000 dotfiles: 11,102 ops of about 250 bytes.
func BenchmarkJournalDotfiles(b *testing.B) {
	j := &journal{From: 0, To: 1, Created: true, Command: "switch"}
	for i := range 11102 {
		op, err := encodeOp(fmt.Sprintf("file:~bench/.config/app_%d/sub_%d/file_%d", i/100, i/10%10, i%10),
			&FlipOp{State: fmt.Sprintf("/home/bench/.config/app_%d/sub_%d/file_%d -> /nix/var/gocfg/generations/1/files/home/bench/.config/app_%d/sub_%d/file_%d", i/100, i/10%10, i%10, i/100, i/10%10, i%10), From: 1000, To: 1000})
		if err != nil {
			b.Fatal(err)
		}
		j.Ops = append(j.Ops, op)
	}
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := j.encode(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Marshal", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(j); err != nil {
				b.Fatal(err)
			}
		}
	})
}
