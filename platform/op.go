package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"

	fastjson "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/platform/system"
)

// An Op is one side effect of a switch. Ops are recorded in the journal
// (as JSON, under their Type) before the first one runs, so a later
// process can undo them.
type Op interface {
	// Type names the op in the journal: "<kind>.<verb>", e.g. "file.link".
	Type() string
	// Describe says what the op does, for progress and errors.
	Describe() string
	// Apply performs the op.
	Apply(ctx context.Context, sys system.System) error
	// Undo reverses the op. It must be safe whether Apply ran fully,
	// partly or not at all: it looks at the live state and reverses only
	// what the op left there.
	Undo(ctx context.Context, sys system.System) error
	// Commit runs after `current` flipped to the new generation (for
	// example, to delete a file moved aside). It must be safe to run twice.
	Commit(ctx context.Context, sys system.System) error
}

// ErrUnchanged is wrapped by an Apply error when the op refused before
// changing anything (the machine changed since the plan): the switch then
// undoes only the ops before it.
var ErrUnchanged = errors.New("nothing was changed")

var (
	opMu    sync.RWMutex
	opTypes = map[string]func() Op{}
)

// RegisterOp makes an op type decodable from a journal. Providers call it
// from init; newOp returns a pointer to a zero op.
func RegisterOp(typ string, newOp func() Op) {
	opMu.Lock()
	defer opMu.Unlock()
	if _, dup := opTypes[typ]; dup {
		panic("platform: op type registered twice: " + typ)
	}
	opTypes[typ] = newOp
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

// encodedOp is an op as the journal stores it.
type encodedOp struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

func encodeOp(id string, op Op) (encodedOp, error) {
	data, err := fastjson.Marshal(op)
	if err != nil {
		return encodedOp{}, fmt.Errorf("%s: encode %s: %w", id, op.Type(), err)
	}
	return encodedOp{ID: id, Type: op.Type(), Data: data}, nil
}

func (e encodedOp) decode() (Op, error) {
	opMu.RLock()
	newOp, ok := opTypes[e.Type]
	opMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%s: unknown op type %q in the journal (written by another gocfg version?)", e.ID, e.Type)
	}
	op := newOp()
	if err := fastjson.Unmarshal(e.Data, op); err != nil {
		return nil, fmt.Errorf("%s: decode %s: %w", e.ID, e.Type, err)
	}
	return op, nil
}
