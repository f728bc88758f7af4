package main

import (
	"testing"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/loader"
	"github.com/hashicorp/hcl/v2"
)

// TestAlsoDefined: the definitions besides the one an error points at
// are listed by line, the built-in modules' counted when there are more
// than two, so that the user's own lines stand out.
func TestAlsoDefined(t *testing.T) {
	at := func(file string, line int) hcl.Range {
		return hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: 3}}
	}
	b := func(name string, line int) hcl.Range { return at(loader.BuiltinPrefix+name, line) }
	tests := []struct {
		name   string
		ranges []hcl.Range
		want   string
	}{
		{
			"one built-in listed",
			[]hcl.Range{b("core/home_git.hcl", 69), at("/w/cfg/default.hcl", 9)},
			"p is also defined at <builtin>/core/home_git.hcl:69:3.",
		},
		{
			"the user's listed, three built-ins counted",
			[]hcl.Range{b("core/zsh.hcl", 70), b("linux/docker.hcl", 36), b("linux/nginx.hcl", 144), at("/w/cfg/default.hcl", 6), at("/w/cfg/more.hcl", 2)},
			"p is also defined at cfg/more.hcl:2:3, and in 3 built-in modules.",
		},
		{
			"only built-ins, one module twice",
			[]hcl.Range{b("linux/docker.hcl", 36), b("core/zsh.hcl", 70), b("core/zsh.hcl", 80), b("linux/nginx.hcl", 144)},
			"p is also defined at 3 places in 2 built-in modules.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := alsoDefined(modules.Origin{Path: "p", Ranges: tt.ranges}, "/w"); got != tt.want {
				t.Errorf("alsoDefined = %q, want %q", got, tt.want)
			}
		})
	}
}
