package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// TestPartial: a partial switch names what of each user's it left, once
// per user (tester AC: "the files of ~mallory" for her user units; the
// second reviewer: a user named twice when her home and a file of it were
// held).
func TestPartial(t *testing.T) {
	held := func(id string) platform.Conflict { return platform.Conflict{ID: id, Held: true} }
	for _, c := range []struct {
		conflicts []platform.Conflict
		want      string
	}{
		{[]platform.Conflict{held("unit:user:mallory:tick.service")}, "the user units of ~mallory were left"},
		{[]platform.Conflict{held("file:~alice/.x"), held("units:user:alice"), held("file:~alice/.y")}, "the files and user units of ~alice were left"},
		{[]platform.Conflict{held("home:~mallory"), held("file:~mallory/.x"), held("secret:~bob/")}, "the files, secrets and user units of ~mallory and the secrets of ~bob were left"},
		{[]platform.Conflict{{ID: "file:~alice/.x"}}, ""},
		{[]platform.Conflict{held("home-files:~alice"), held("file:~alice/.x"), held("secret:~alice/t")}, "the files and secrets of ~alice were left"},
	} {
		var out bytes.Buffer
		err := partial(&Env{Stderr: &out}, &platform.Plan{Conflicts: c.conflicts}, "the switch is partial")
		got := out.String()
		switch {
		case c.want == "" && (got != "" || err != nil):
			t.Errorf("%v: %q, %v; want nothing", c.conflicts, got, err)
		case c.want != "" && (!strings.Contains(got, "the switch is partial: "+c.want+" as they are") || err == nil):
			t.Errorf("%v: %q, %v; want %q and exit status 3", c.conflicts, got, err, c.want)
		}
	}
}
