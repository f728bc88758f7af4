package platform

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"sync"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/platform/system"
)

// An Op is one side effect of a switch. Ops are recorded in the journal
// (as JSON, under the name their type was registered with, see
// RegisterOp) before the first one runs, so a later process can undo
// them.
type Op interface {
	// Describe says what the op does, for progress and errors.
	Describe() string
	// Apply performs the op.
	Apply(ctx context.Context, sys system.System) error
	// Undo reverses the op. It must be safe whether Apply ran fully,
	// partly or not at all: it looks at the live state and reverses only
	// what the op left there.
	Undo(ctx context.Context, sys system.System) error
}

// A SelfChecking op's Undo does no harm when its Apply never ran, even
// after users or admins changed the machine since the plan: it finds
// what is there and undoes only the op's own work (a file written, a
// link made), or at worst puts back a managed file, or a folder, that
// someone removed since, moves a file of hers to a name beside it, or
// removes a folder it would have made that is empty
// (platform/files/self_checking.go lists each). Undo does nothing for
// some (a check, a unit job).
//
// Every other op's Undo acts without that check (an account's groups,
// a package, a unit restarted: undoing a member added that was never
// added removes what an admin gave since). So that recovery after a
// restart undoes such an op only when it may have run, the engine makes
// the progress log durable before each one (Engine.Switch, Recover); a
// SelfChecking op needs no sync, which keeps a switch of 10,000 dotfiles
// free of them.
type SelfChecking interface {
	Op
	// UndoChecksItself marks the type; it is never called.
	UndoChecksItself()
}

// A Committer is an op with something to do once `current` flipped to
// the new generation (for example, to delete a file moved aside). Commit
// must be safe to run twice. Ops that are not Committers have nothing to
// commit.
type Committer interface {
	Commit(ctx context.Context, sys system.System) error
}

// commit runs op's Commit, if it has one.
func commit(ctx context.Context, op Op, sys system.System) error {
	if c, ok := op.(Committer); ok {
		return c.Commit(ctx, sys)
	}
	return nil
}

// ErrUnchanged is wrapped by an Apply error when the op refused before
// changing anything (the machine changed since the plan): the switch then
// undoes only the ops before it.
var ErrUnchanged = errors.New("nothing was changed")

var (
	opMu    sync.RWMutex
	opTypes = map[string]func() Op{}
	opNames = map[reflect.Type]string{}
)

// RegisterOp makes an op type decodable from a journal, under name
// ("<kind>.<verb>", e.g. "file.link"): the only place an op type is
// named. Providers call it from init; newOp returns a zero op, and every
// op of that Go type is journaled under name. A name must not change once
// gocfg wrote it to a journal.
func RegisterOp(name string, newOp func() Op) {
	op := newOp()
	if op == nil {
		panic("platform: op type " + name + " registered with a nil op")
	}
	t := reflect.TypeOf(op)
	opMu.Lock()
	defer opMu.Unlock()
	if _, dup := opTypes[name]; dup {
		panic("platform: op type registered twice: " + name)
	}
	if prev, dup := opNames[t]; dup {
		panic(fmt.Sprintf("platform: Go type %s registered as both %q and %q", t, prev, name))
	}
	// An op type may still have a Type method (platform/users, until it
	// drops them): it must agree.
	if o, ok := op.(interface{ Type() string }); ok && o.Type() != name {
		panic(fmt.Sprintf("platform: op type %s registered as %q but its Type method says %q", t, name, o.Type()))
	}
	opTypes[name] = newOp
	opNames[t] = name
}

// OpName returns the name op's type was registered with (see
// RegisterOp), or "" when it was not registered.
func OpName(op Op) string {
	opMu.RLock()
	defer opMu.RUnlock()
	return opNames[reflect.TypeOf(op)]
}

// OpTypes lists the registered op types, sorted.
func OpTypes() []string {
	opMu.RLock()
	defer opMu.RUnlock()
	var ts []string
	for t := range opTypes {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

// SelfCheckingOps lists the registered op types that are SelfChecking,
// sorted: what cmd/gocfg's TestSelfCheckingOps holds to a reviewed list.
func SelfCheckingOps() []string {
	var ts []string
	for _, name := range OpTypes() {
		opMu.RLock()
		op := opTypes[name]()
		opMu.RUnlock()
		if _, ok := op.(SelfChecking); ok {
			ts = append(ts, name)
		}
	}
	return ts
}

// An UnknownOpError is a journal's step of an op type this gocfg does
// not know: a newer gocfg's, interrupted (Version, when the journal
// says, names it). Neither this gocfg's recovery nor its switch can go
// on until that gocfg finishes or undoes its switch (tester BF).
type UnknownOpError struct {
	ID, Type string
	// Version is the version of the gocfg that wrote the journal ("" when
	// it did not say).
	Version string
}

func (e *UnknownOpError) Error() string {
	by := "another gocfg"
	if e.Version != "" {
		by = "gocfg " + e.Version
	}
	return fmt.Sprintf("%s: the journal has a step of type %q, which this gocfg does not know (written by %s)", e.ID, e.Type, by)
}

// encodedOp is an op as the journal stores it.
type encodedOp struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
	// Checked: the op was SelfChecking when the journal was written, so
	// the log was not made durable before it (journal.Synced).
	Checked bool `json:"checked,omitempty"`
}

func encodeOp(id string, op Op) (encodedOp, error) {
	name := OpName(op)
	if name == "" {
		return encodedOp{}, fmt.Errorf("%s: encode %s: op type %T is not registered", id, op.Describe(), op)
	}
	data, err := json.Marshal(op)
	if err != nil {
		return encodedOp{}, fmt.Errorf("%s: encode %s: %w", id, name, err)
	}
	return encodedOp{ID: id, Type: name, Data: data}, nil
}

func (e encodedOp) decode() (Op, error) {
	opMu.RLock()
	newOp, ok := opTypes[e.Type]
	opMu.RUnlock()
	if !ok {
		return nil, &UnknownOpError{ID: e.ID, Type: e.Type}
	}
	op := newOp()
	if err := json.Unmarshal(e.Data, op); err != nil {
		return nil, fmt.Errorf("%s: decode %s: %w", e.ID, e.Type, err)
	}
	return op, nil
}
