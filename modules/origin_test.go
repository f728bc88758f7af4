package modules_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
)

// TestOrigin checks where Origin points for the ways a value can be
// written: the most specific range of each definition that counts.
func TestOrigin(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"decls.hcl": `option "s" {
  type = null_or(str)
}
option "net.host" {
  type = null_or(str)
}
option "users" {
  type = attrs_of(submodule({
    shell = { type = str, default = "/bin/sh" }
    home  = null_or(path)
  }))
  default = {}
}
option "etc" {
  type = attrs_of(submodule({
    text = null_or(str)
  }))
  default = {}
}
`,
		"base.hcl": `imports = ["./people.hcl"]
s = default("from-base")
etc "motd" {
  text = "hello"
}
`,
		"people.hcl": `locals {
  people = { dave = { shell = "/bin/dash" } }
}
users = local.people
`,
		"default.hcl": `imports = ["./decls.hcl", "./base.hcl"]
users "alice" {
  shell = "/bin/zsh"
}
users = { bob = { shell = "/bin/bash" }, carol = {} }
s = force("from-default")
net {
  host = "atlas"
}
etc = {
  "../evil" = { text = "x" }
}
etc "motd" {
  text = when(false, "never")
}
`,
	})
	ev, diags := modules.Load(modules.Options{Entry: filepath.Join(dir, "default.hcl"), Host: testHost, NoBuiltins: true, WorkDir: dir})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if _, diags := ev.All(); diags.HasErrors() {
		t.Fatal(diags)
	}
	tests := []struct {
		path string
		want string // Path, then each range as file:line:col-line:col, then "default" when it is
	}{
		// A leaf: its value expression.
		{"users.alice.shell", `users.alice.shell default.hcl:3:11-3:21`},
		// An attribute-set key written as a block: its label.
		{"users.alice", `users.alice default.hcl:2:7-2:14`},
		// Keys of an object constructor, and a leaf inside one.
		{"users.bob", `users.bob default.hcl:5:11-5:14`},
		{"users.bob.shell", `users.bob.shell default.hcl:5:27-5:38`},
		{`etc."../evil"`, `etc."../evil" default.hcl:11:3-11:12`},
		// A key that an evaluated object brings (in a module imported by
		// one the entry module imports): that expression.
		{"users.dave", `users.dave people.hcl:4:9-4:21`},
		{"users.dave.shell", `users.dave.shell people.hcl:4:9-4:21`},
		// Nothing defines it: the option's default, in the declaration.
		{"users.carol.shell", `users.carol.shell decls.hcl:9:37-9:46 default`},
		// Unset, without a default: the nearest defined ancestor.
		{"users.alice.home", `users.alice default.hcl:2:7-2:14`},
		// Priorities: only the winning definition counts, at its value.
		{"s", `s default.hcl:6:11-6:25`},
		// A group of options: the block naming it.
		{"net", `net default.hcl:7:1-7:4`},
		{"net.host", `net.host default.hcl:8:10-8:17`},
		// A module imported by the entry module; a definition whose when
		// is false does not count, but its block still defines the key
		// (module order: the entry module first).
		{`etc.motd.text`, `etc.motd.text base.hcl:4:10-4:17`},
		{`etc.motd`, `etc.motd default.hcl:13:5-13:11 base.hcl:3:5-3:11`},
		// Three definitions of one attribute set: each names it.
		{"users", `users default.hcl:2:1-2:6 default.hcl:5:1-5:6 people.hcl:4:1-4:6`},
	}
	for _, tt := range tests {
		o, ok := ev.Origin(tt.path)
		if !ok {
			t.Errorf("Origin(%s): not found", tt.path)
			continue
		}
		got := []string{o.Path}
		for _, r := range o.Ranges {
			rel, _ := filepath.Rel(dir, r.Filename)
			got = append(got, fmt.Sprintf("%s:%d:%d-%d:%d", rel, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column))
		}
		if o.Default {
			got = append(got, "default")
		}
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("Origin(%s) = %s\nwant %s", tt.path, s, tt.want)
		}
	}
	for _, path := range []string{"nope", "users.alice.nope", `"unterminated`, "s.x"} {
		if o, ok := ev.Origin(path); ok {
			t.Errorf("Origin(%s) = %+v, want none", path, o)
		}
	}
}

// TestOriginVia checks Via: a value only built-in modules define, from
// an option the user sets, points at the user's line for that option;
// one the user also defines points at the user's own line, with no Via.
// The host is a Linux machine without a known distribution.
func TestOriginVia(t *testing.T) {
	dir := writeFiles(t, map[string]string{"default.hcl": `virtualisation {
  docker {
    enable = true
    users  = ["ghost"]
  }
}
users "alice" {
  uid = 1000
}
security {
  sudo {
    extra_config = "Defaults insults"
  }
}
services {
  openssh {
    enable = true
  }
}
`})
	ev, diags := modules.Load(modules.Options{Entry: filepath.Join(dir, "default.hcl"), Host: testHost})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if _, diags := ev.JSON(""); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	tests := []struct {
		path, via string
		line      int  // of the Subject, in default.hcl
		when      bool // read by the definitions' when only
	}{
		{"groups.docker.members", "virtualisation.docker.users", 4, false},
		{"users.alice.uid", "", 8, false},
		// Made through the sudo module's locals.
		{`environment.etc."sudoers.d/gocfg"`, "security.sudo.extra_config", 12, false},
		// Defined by the openssh module when the user turns it on.
		{`systemd.units."ssh.service"`, "services.openssh.enable", 17, true},
	}
	for _, tt := range tests {
		o, ok := ev.Origin(tt.path)
		if !ok {
			t.Fatalf("%s: no origin", tt.path)
		}
		s := o.Subject()
		if strings.Join(o.Via, ",") != tt.via || o.ViaWhen != tt.when || filepath.Base(s.Filename) != "default.hcl" || s.Start.Line != tt.line {
			t.Errorf("%s: Via %q (when %v), subject %s; want Via %q (when %v) at default.hcl:%d", tt.path, o.Via, o.ViaWhen, s, tt.via, tt.when, tt.line)
		}
	}
}
