package platform

import (
	"bytes"
	"fmt"
	"testing"

	json "github.com/goccy/go-json"
)

// TestEncodeJournalSameAsMarshal: the journal recovery reads is the one
// json.Marshal writes, whatever the number of ops (encodeJournal encodes
// them a part at a time), with IDs and data that go-json escapes, and
// hooks.
func TestEncodeJournalSameAsMarshal(t *testing.T) {
	ids := []string{"file:~a/.x", "file:~a/<&>\"q\"", "unit:\u2028", "bad\xff", "ctl\x01\t"}
	for _, n := range []int{0, 1, 255, 256, 257, 1000, 11102} {
		j := &journal{From: 3, To: 4, Created: true, Command: "switch",
			Hooks: []Hook{{ID: "file:~a/.x", Script: "echo <done> && exit", UID: 1000, GID: 1000, Home: "/home/a"}}}
		for i := range n {
			path, _ := json.Marshal("/home/a/" + ids[i%len(ids)] + fmt.Sprint(i))
			data := fmt.Appendf(nil, `{"path": %s, "n": %d}`, path, i)
			if i%7 == 0 {
				data = []byte(`{"nested":{"a":[1, 2, "<&>"]},"s":"\u00e9"}`)
			}
			j.Ops = append(j.Ops, encodedOp{ID: ids[i%len(ids)], Type: "files.link", Data: data})
		}
		want, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeJournal(j)
		if err != nil {
			t.Fatalf("%d ops: %v", n, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%d ops: encodeJournal differs from json.Marshal:\n got %.300s\nwant %.300s", n, got, want)
		}
		if n == 0 && !bytes.Contains(got, []byte(`"ops":null`)) {
			t.Errorf("a journal without ops says %s, not \"ops\":null", got)
		}
	}
}
