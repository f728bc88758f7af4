package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
)

// TestWarnHeld: a held conflict whose error names an option (a held
// secret's identity that cannot be read) is warned about at the
// option's definition, with its hint; one that names none, or with no
// evaluation to place it in (a bundle), as a plain warning line. Before,
// every held conflict was a plain line, its option only in the text.
func TestWarnHeld(t *testing.T) {
	dir := t.TempDir()
	cfg := "home \"alice\" {\n  age {\n    identity_paths = [\"/home/alice/.age/key.txt\"]\n    secrets \"token\" {\n      file = \"./token.age\"\n    }\n  }\n}\n"
	ev := evaluated(t, dir, cfg)
	held := platform.HeldConflict("secret:~alice/", "/home/alice", &platform.ConfigError{
		Option: `home.alice.age.secrets.token`, Msg: "/home/alice/.age/key.txt: line 1: not a valid age secret key",
		Hint: "put alice's age key in home.alice.age.identity_paths"})
	if held.Option != "home.alice.age.secrets.token" {
		t.Fatalf("HeldConflict Option = %q", held.Option)
	}
	warn := func(c platform.Conflict, locate func() *modules.Evaluation) string {
		var out bytes.Buffer
		warnHeld(&Env{Stderr: &out, WorkDir: dir}, c, locate)
		return out.String()
	}

	got := warn(held, func() *modules.Evaluation { return ev })
	for _, want := range []string{
		"gocfg: warning: /home/alice: home.alice.age.secrets.token: /home/alice/.age/key.txt: line 1: not a valid age secret key; the secrets of ~alice are left as they are\n",
		"--> default.hcl:4:13\n",
		`4 |     secrets "token" {`,
		"gocfg: hint: put alice's age key in home.alice.age.identity_paths\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("located warning lacks %q:\n%s", want, got)
		}
	}

	plain := "gocfg: warning: /home/alice: home.alice.age.secrets.token: /home/alice/.age/key.txt: line 1: not a valid age secret key; the secrets of ~alice are left as they are\n" +
		"gocfg: hint: put alice's age key in home.alice.age.identity_paths\n"
	if got := warn(held, nil); got != plain {
		t.Errorf("without an evaluation:\n%s\nwant:\n%s", got, plain)
	}
	unreachable := platform.HeldConflict("unit:user:alice:", "/run/user/1000/systemd/private", errors.New("cannot reach alice's manager"))
	if got := warn(unreachable, func() *modules.Evaluation { return ev }); strings.Contains(got, "-->") || !strings.HasPrefix(got, "gocfg: warning: /run/user/1000/systemd/private: cannot reach") {
		t.Errorf("a conflict that names no option:\n%s", got)
	}
}
