package system

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"
)

var _ Units = peerUnits{}

// peerUnits is the Units of another user's manager, whose socket may be
// a process of hers that answers the handshake and then nothing (tester
// Z): every call that is not a job is bounded by peerCallTimeout, even
// for a caller without a deadline (an undo), and one that got no answer
// in time fails with ErrNoAnswer. Jobs (Start, Stop, Restart, Reload)
// wait for their result, bounded by their callers (platform/systemd's
// userJobTimeout).
type peerUnits struct{ Units }

// peerCallTimeout bounds one call on another user's manager (peerUnits).
var peerCallTimeout = 20 * time.Second

// SetPeerTimeout replaces the bounds on another user's manager, for a
// test build (GOCFG_TEST_PEER_TIMEOUT): a call, the handshake and a write
// get d, the whole connection d×5/4 (as 20 s and 25 s by default).
func SetPeerTimeout(d time.Duration) {
	peerCallTimeout, peerConnectTimeout = d, d*5/4
	setPeerDialTimeouts(d)
}

// bounded runs call with peerCallTimeout.
func bounded(ctx context.Context, call func(context.Context) error) error {
	cctx, cancel := context.WithTimeout(ctx, peerCallTimeout)
	defer cancel()
	err := call(cctx)
	if err != nil && ctx.Err() == nil && (errors.Is(cctx.Err(), context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)) {
		return fmt.Errorf("%w within %v: %w", ErrNoAnswer, peerCallTimeout, err)
	}
	return err
}

func (p peerUnits) DaemonReload(ctx context.Context) error {
	return bounded(ctx, p.Units.DaemonReload)
}

func (p peerUnits) Enable(ctx context.Context, names []string) error {
	return bounded(ctx, func(ctx context.Context) error { return p.Units.Enable(ctx, names) })
}

func (p peerUnits) Disable(ctx context.Context, names []string) error {
	return bounded(ctx, func(ctx context.Context) error { return p.Units.Disable(ctx, names) })
}

func (p peerUnits) ResetFailed(ctx context.Context, name string) error {
	return bounded(ctx, func(ctx context.Context) error { return p.Units.ResetFailed(ctx, name) })
}

func (p peerUnits) State(ctx context.Context, name string) (UnitState, error) {
	var st UnitState
	err := bounded(ctx, func(ctx context.Context) error {
		var err error
		st, err = p.Units.State(ctx, name)
		return err
	})
	return st, err
}
