package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// SwapOp points /run/gocfg/secrets at the new set in one rename (or
// removes it when no secret is left), and once the new generation is
// current removes the previous set's folder, and the plaintext in it.
type SwapOp struct {
	Link string `json:"link"`
	// Target is the new link target (secrets.d/<set>), "" for none.
	Target string `json:"target"`
	// Prev is the target the plan saw ("" for no link).
	Prev string `json:"prev"`
	// Old is the previous set's folder, removed by Commit ("": none).
	Old string `json:"old,omitempty"`
	// Sets, when set, is the folder of the sets: Commit removes every
	// set in it but Target's (left by a switch that was killed, or named
	// by records that were not kept).
	Sets string `json:"sets,omitempty"`
}

// Describe says what the op does.
func (o *SwapOp) Describe() string {
	if o.Target == "" {
		return "remove " + o.Link
	}
	return "point " + o.Link + " at " + o.Target
}

func readLink(sys system.System, p string) (string, error) {
	t, err := sys.Readlink(p)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return t, err
}

func setLink(sys system.System, link, target string) error {
	if target == "" {
		if err := sys.Remove(link); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return sys.ReplaceSymlink(target, link)
}

// Apply swaps the link, refusing when it changed since the plan.
func (o *SwapOp) Apply(_ context.Context, sys system.System) error {
	cur, err := readLink(sys, o.Link)
	if err != nil {
		return err
	}
	if cur == o.Target {
		return nil
	}
	if cur != o.Prev {
		return fmt.Errorf("%s: points at %q since the plan, not %q: %w", o.Link, cur, o.Prev, platform.ErrUnchanged)
	}
	return setLink(sys, o.Link, o.Target)
}

// Undo points the link back at the previous set, if it is still ours.
func (o *SwapOp) Undo(_ context.Context, sys system.System) error {
	cur, err := readLink(sys, o.Link)
	if err != nil || cur != o.Target || o.Target == o.Prev {
		return err
	}
	return setLink(sys, o.Link, o.Prev)
}

// Commit removes the previous set, and any other set but the live one:
// their plaintext is no longer used.
func (o *SwapOp) Commit(_ context.Context, sys system.System) error {
	old := []string{}
	if o.Old != "" {
		old = append(old, o.Old)
	}
	if o.Sets != "" {
		des, err := sys.ReadDir(o.Sets)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for _, de := range des {
			if setsLinkDir+"/"+de.Name() != o.Target {
				old = append(old, filepath.Join(o.Sets, de.Name()))
			}
		}
	}
	for _, p := range old {
		if err := sys.RemoveAll(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
