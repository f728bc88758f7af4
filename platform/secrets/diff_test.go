package secrets_test

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/secrets"
)

func TestDiff(t *testing.T) {
	h1, h2 := "sha256:"+strings.Repeat("a", 64), "sha256:"+strings.Repeat("b", 64)
	a := &secrets.Records{Secrets: map[string]*secrets.Record{
		"kept":    {Hash: h1, Owner: "root", Mode: "0400"},
		"changed": {Hash: h1, Owner: "root", Mode: "0400"},
		"gone":    {Hash: h1, Owner: "root", Mode: "0400"},
	}, Homes: map[string]*secrets.HomeRecords{"alice": {Secrets: map[string]*secrets.Record{"netrc": {Hash: h1, Owner: "alice", Mode: "0600", Path: "/home/alice/.netrc"}}}}}
	b := &secrets.Records{Secrets: map[string]*secrets.Record{
		"kept":    {Hash: h1, Owner: "root", Mode: "0400"},
		"changed": {Hash: h2, Owner: "app", Mode: "0400"},
		"new":     {Hash: h2, Owner: "root", Mode: "0400"},
	}}
	var got []string
	for _, c := range secrets.Diff(a, b) {
		var fs []string
		for _, f := range c.Fields {
			fs = append(fs, f.Name+" "+f.Before+" → "+f.After)
		}
		got = append(got, string(c.Action)+" "+c.ID+": "+strings.Join(fs, "; "))
	}
	want := []string{
		"update secret:changed: ciphertext sha256:aaaaaaaaaaaa → sha256:bbbbbbbbbbbb; owner root → app",
		"delete secret:gone:  ciphertext sha256:aaaaaaaaaaaa, root:(primary group) 0400 → ",
		"create secret:new:   → ciphertext sha256:bbbbbbbbbbbb, root:(primary group) 0400",
		"delete secret:~alice/netrc:  ciphertext sha256:aaaaaaaaaaaa, alice 0600, /home/alice/.netrc → ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
