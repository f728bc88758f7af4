package users

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// Each backend turns every step into one of its own ops, whose type is
// registered (the journal refuses any other).
func TestBackendsTurnEveryStepIntoTheirOps(t *testing.T) {
	steps := []step{
		&userAdd{Name: "alice", UID: 1001, Group: "alice", Home: "/home/alice", Groups: []string{"admin", "devs"}},
		userChange{Name: "alice", Shell: &StrChange{From: "/bin/sh", To: "/bin/zsh"}},
		userDel{Name: "alice", UID: 1001, GID: 1001},
		groupAdd{Name: "devs", GID: 1002},
		groupChange{Name: "devs", GID: 1003, PrevGID: 1002},
		groupDel{Name: "devs", GID: 1002},
		memberAdd{Group: "devs", User: "alice"},
		memberRemove{Group: "devs", User: "alice"},
	}
	l := &machine.Machine{Offline: true, Root: "/mnt"}
	shadow, darwin := &shadowBackend{l: l}, &darwinBackend{l: l}
	if shadow.hiding() || !darwin.hiding() {
		t.Errorf("hiding: shadow %v, darwin %v", shadow.hiding(), darwin.hiding())
	}
	for _, b := range []backend{shadow, darwin} {
		all := append([]step(nil), steps...)
		if b.hiding() {
			all = append(all, userHide{Name: "alice", Hidden: true})
		}
		for _, s := range all {
			op := s.op(b)
			typ := fmt.Sprintf("%T", op)
			if platform.OpName(op) == "" || strings.HasPrefix(typ, "*users.Darwin") != (b == backend(darwin)) {
				t.Errorf("%T: step %T became %s (registered as %q)", b, s, typ, platform.OpName(op))
			}
		}
	}
}
