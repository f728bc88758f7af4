package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform"
)

// A switch whose step fails in a user's home goes on without that home
// (DESIGN.md §7: one user's hostile home fails only that user's
// resources). The plan holds a home only for the problems it sees; a
// user can make one appear after it (a folder swapped in at a managed
// path while the switch runs, a FIFO at her secret's temporary name, a
// manager that stops answering). The engine then undoes every step, as
// for any failure, and the switch is planned again with that user held
// (machine.Switch.Hold): her files, secrets and user units are left as
// they are, her records carried unchanged, and every other resource
// switches. The command warns and exits with status 3, as for a home
// held at plan time.
//
// An undo step that fails in a home (she replaced gocfg's new link with
// a file of hers, so what was moved aside cannot go back) is left as it
// is and said so (platform.LeftError), with nothing deleted, and that
// user is held too; such a step used to keep the journal, and every
// later command retried it, and failed, for as long as she liked.
//
// It does not try again when the step was not in a home (an /etc file,
// a system unit, a package), when an undo step outside the homes failed
// (the journal is kept for recovery), when the switch was interrupted,
// with --fail-fast, or for a user already held: each try holds one more
// user, so a switch tries at most once per home it touches.

// failedHomes returns the user in whose home the switch's failed step
// was, when the switch may try again without that home, and the users
// in whose homes an undo step was left (platform.LeftError), who are
// held too: their homes are not as the plan saw them.
func failedHomes(err error, failFast bool, held map[string]string) ([]string, bool) {
	var ae *platform.ApplyError
	if failFast || !errors.As(err, &ae) || ae.Interrupted || len(ae.UndoErrs) > 0 {
		return nil, false
	}
	u, ok := platform.HomeOf(ae.ID)
	if _, done := held[u]; !ok || done {
		return nil, false
	}
	users := []string{u}
	for _, l := range ae.Left {
		var le *platform.LeftError
		if errors.As(l, &le) {
			if v, ok := platform.HomeOf(le.ID); ok && !slices.Contains(users, v) {
				users = append(users, v)
			}
		}
	}
	return users, true
}

// holdUsers warns that a step in the users' homes failed (err), and for
// each what of hers is left (left), and adds them to hold, which it
// returns: a switch, a rollback and the boot unit then plan again
// without them.
func holdUsers(env *Env, hold map[string]string, users []string, err error, left func(user string) string) map[string]string {
	fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", diagnostics.Escaped(err.Error()))
	if hold == nil {
		hold = map[string]string{}
	}
	for _, user := range users {
		fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", left(user))
		hold[user] = err.Error()
	}
	return hold
}

// heldHomeRemedy is what to do about ~user, held after a step there
// failed: the warning above says what failed, which may be a file in the
// way or a full or read-only disk (tester BB: the hint spoke of what was
// in the way of a home whose disk was full), then command again.
func heldHomeRemedy(user, command string) string {
	return fmt.Sprintf("see above what failed in ~%s (a file in the way, a full or read-only disk), and run %s again", user, command)
}

// holdHomes warns that the switch failed in the users' homes (err) and
// plans it again with those homes held, under the lock the switch holds.
// The new plan has a held conflict naming the failure, for the command's
// last warning and for --json.
func (p *prepared) holdHomes(ctx context.Context, env *Env, users []string, err error) error {
	p.hold = holdUsers(env, p.hold, users, err, func(user string) string {
		return fmt.Sprintf("the %s of ~%s are left as they are; switching again without them", homeResources(p.m.os), user)
	})
	if err := p.replan(ctx, p.hold); err != nil {
		return err
	}
	for _, u := range slices.Sorted(maps.Keys(p.hold)) {
		why := p.hold[u]
		p.plan.Conflicts = append(p.plan.Conflicts, platform.Conflict{ID: "home:~" + u, Path: "~" + u, Problem: why, Held: true,
			Remedies: []platform.Remedy{platform.Fix(heldHomeRemedy(u, "gocfg switch"))}})
	}
	for _, c := range p.plan.Conflicts {
		if !c.Held {
			// Something else appeared in the way since the first plan.
			return conflictError(p.plan.Conflicts, definitionsIn(env, p.locate))
		}
	}
	return nil
}

// showReplan says which changes of the plan shown first (before) the
// plan made again without the users' homes (after) leaves out, and
// what it makes instead: the first plan's lines for those homes do not
// happen. Only the IDs are listed, and the new summary: the rest is as
// shown. Its held conflicts were warned about already.
func showReplan(env *Env, before, after *platform.Plan, users []string) error {
	kept := make(map[string]bool, len(after.Changes))
	for _, c := range after.Changes {
		kept[c.ID] = true
	}
	var left []string
	for _, c := range before.Changes {
		if !c.Hidden && !kept[c.ID] {
			left = append(left, c.ID)
		}
	}
	slices.Sort(left)
	var b strings.Builder
	fmt.Fprintf(&b, "\nLeft out, without ~%s (the rest as shown above):\n\n", strings.Join(users, ", ~"))
	// A home of thousands of files (a full disk failed its first link)
	// is not listed whole: the plan shown above has every line.
	shown := left
	if len(shown) > maxLeftOut {
		shown = shown[:maxLeftOut]
	}
	for _, id := range shown {
		fmt.Fprintf(&b, "  %s\n", platform.Printable(id))
	}
	if n := len(left) - len(shown); n > 0 {
		fmt.Fprintf(&b, "  … and %d more\n", n)
	}
	v := platform.View{Out: env.Stdout, Color: env.ColorOut}
	b.WriteString("\n" + v.SummaryLine(after.Summary()) + "\n")
	_, err := io.WriteString(env.Stdout, b.String())
	return err
}

// maxLeftOut is how many of the changes a replan leaves out showReplan
// lists by name.
const maxLeftOut = 20

// homeResources names what a switch holds in a user's home on os.
func homeResources(os string) string {
	if os == "darwin" {
		return "files, secrets, launch agents and preferences"
	}
	return "files, secrets and user units"
}
