package platform

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// strayOp is an op type no one registered. Its Type method is what an op
// of platform/users still has until it drops them.
type strayOp struct{ N int }

func (*strayOp) Type() string                               { return "test.stray" }
func (*strayOp) Describe() string                           { return "stray" }
func (*strayOp) Apply(context.Context, system.System) error { return nil }
func (*strayOp) Undo(context.Context, system.System) error  { return nil }

// TestOpName: an op's journal name comes from its type's registration,
// and an op whose type was not registered is refused before the journal
// is written.
func TestOpName(t *testing.T) {
	flip := &FlipOp{State: "/var/lib/gocfg", From: 1, To: 2}
	if got := OpName(flip); got != "engine.flip" {
		t.Errorf("OpName(%T) = %q, want engine.flip", flip, got)
	}
	enc, err := encodeOp("x", flip)
	if err != nil || enc.Type != "engine.flip" {
		t.Fatalf("encodeOp = %+v, %v", enc, err)
	}
	back, err := enc.decode()
	if err != nil || !reflect.DeepEqual(back, Op(flip)) {
		t.Errorf("decode = %+v, %v; want %+v", back, err, flip)
	}

	if got := OpName(&strayOp{}); got != "" {
		t.Errorf("OpName of an unregistered op = %q", got)
	}
	if _, err := encodeOp("x", &strayOp{}); err == nil || !strings.Contains(err.Error(), "not registered") {
		t.Errorf("encodeOp of an unregistered op: %v", err)
	}
}

// flipTwin is another Go type with FlipOp's methods.
type flipTwin struct{ FlipOp }

// TestRegisterOpRefuses: a name registered twice, a Go type registered
// under two names and a Type method that disagrees with the registered
// name all panic, and register nothing.
func TestRegisterOpRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		newOp func() Op
		want  string
	}{
		{"engine.flip", func() Op { return &flipTwin{} }, "registered twice"},
		{"test.flip-again", func() Op { return &FlipOp{} }, "registered as both"},
		{"test.stray-renamed", func() Op { return &strayOp{} }, "its Type method says"},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Errorf("RegisterOp(%q, %T) panicked with %v, want %q", tc.name, tc.newOp(), r, tc.want)
				}
			}()
			RegisterOp(tc.name, tc.newOp)
		}()
	}
	for _, op := range []Op{&flipTwin{}, &strayOp{}} {
		if got := OpName(op); got != "" {
			t.Errorf("a refused registration registered %T as %q", op, got)
		}
	}
	if got := OpName(&FlipOp{}); got != "engine.flip" {
		t.Errorf("a refused registration renamed FlipOp to %q", got)
	}
}

// TestCommitIsOptional: the engine commits only the ops that are
// Committers.
func TestCommitIsOptional(t *testing.T) {
	if _, ok := Op(&FlipOp{}).(Committer); ok {
		t.Errorf("FlipOp has a Commit method")
	}
	if err := commit(t.Context(), &FlipOp{}, nil); err != nil {
		t.Errorf("commit of an op with nothing to commit: %v", err)
	}
}
