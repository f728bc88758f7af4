package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/platform"
	mach "github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/spf13/cobra"
)

// rollbackOptions are the inputs of `gocfg rollback`.
type rollbackOptions struct {
	Env       *Env
	Machine   machineFlags
	To        int
	DryRun    bool
	JSON      bool
	BackupExt string
	// FailFast refuses the whole rollback for a conflict or a failed
	// step in any home, instead of holding that home.
	FailFast bool
	// Secrets and Identities: with --root, the generation's secrets are
	// decrypted into the tree with these keys, as a switch's are.
	Secrets    bool
	Identities []string
}

func newRollbackCmd(env *Env, runF func(context.Context, *rollbackOptions) error) *cobra.Command {
	opts := &rollbackOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "rollback",
		Short: "Make an earlier generation current again",
		Long: `Apply generation N (default: the newest one before the current one, or,
when a rollback recorded the current one, before the generation it returned
to) from what that generation recorded, without evaluating the
configuration: its files come from the generation's store, so the dotfiles
repository may have moved on. It is a switch like any other: the plan is
shown, the steps are journaled and undone if one fails. Like NixOS, it
makes generation N current again instead of recording a new generation; the
next gocfg switch records the next number. It records a new generation in three cases only. When
generation N's records no longer hold (an account it created is created
again with another uid or gid, the recorded one being taken): generation
N's configuration and files with the IDs the accounts got, so that gocfg
still knows them as its own. And when a user's files or secrets are held:
something is in the way there (a file of gocfg's edited by hand, a folder
on the way that is a link out of the home, her own file where her secret
goes, her identity that no longer decrypts it), so they are left as they
are, as gocfg switch leaves them, and everything else returns to
generation N; the new generation is generation N's configuration and
files but for that user's files and secrets, which are the current
generation's, and the rollback exits with status 3. --fail-fast refuses
the whole rollback instead, as a problem with a user's user units, launch
agents or preferences always does when they differ between the two
generations (and her secrets, when the current generation keeps all
users' secrets together, as a gocfg before this one did); a user's secrets
and user units that both generations record alike are left as they are,
and her user manager is not asked (it may be stopped: she logged out).
And when generation N keeps all users' secrets together: generation N's
configuration and files with each user's apart, so that a later rollback
can hold one user's alone (none when the current generation is such a
record of N already). Under --root, --secrets --identity FILE decrypts
the generation's age secrets into the tree with a key of this machine, as
gocfg switch does; it also finishes the undo of a --root --secrets switch
or rollback that was interrupted, which a command without the key leaves
waiting (it says so).

A generation whose stored contents are damaged (changed in place since it
was written) is refused, with the list, before anything changes: its links
would show the damage. gocfg store verify --repair writes again what the
current generation's sources still give.

Ctrl-C (SIGINT), SIGTERM or SIGHUP is handled as by gocfg switch: while the
steps are applied, the step in progress finishes (or stops waiting for a
systemd job), the steps done are
undone, the generation that was current stays current and gocfg exits with
status 1; once generation N is current the rollback stands.` + partialExitCodesHelp,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReal),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	opts.Machine.registerExisting(cmd)
	cmd.Flags().Var(intFlag{n: &opts.To, min: 1, what: "a generation number (1 or more; see gocfg generations list)"}, "to", "generation `N` to return to")
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the plan as JSON")
	cmd.Flags().BoolVar(&opts.FailFast, "fail-fast", false, "refuse the whole rollback for a conflict or a failed step in any user's files, instead of leaving that user's files as they are")
	cmd.Flags().StringVar(&opts.BackupExt, "backup-ext", "", "move unmanaged files in the way to <path>.`EXT` (never over an existing backup)")
	cmd.Flags().BoolVar(&opts.Secrets, "secrets", false, "with --root: decrypt the generation's age.secrets into the tree, with the --identity keys")
	cmd.Flags().StringArrayVar(&opts.Identities, "identity", nil, "with --root --secrets: decrypt with the key in `FILE` on this machine (age key or OpenSSH ed25519/RSA private key; repeatable)")
	return cmd
}

func runRollback(ctx context.Context, opts *rollbackOptions) error {
	env := opts.Env
	ext, err := backupExt(opts.BackupExt)
	if err != nil {
		return err
	}
	opts.BackupExt = ext
	if err := validateSecrets(env, opts.Machine.Root, opts.Secrets, opts.Identities); err != nil {
		return err
	}
	opts.Machine.identities = opts.Identities
	m, unlock, err := openLockOrWarn(ctx, env, opts.Machine, !opts.DryRun)
	if err != nil {
		return err
	}
	defer unlock()
	m.reserveForCurrent()
	cur, applied, err := m.current()
	if err != nil {
		return err
	}
	if cur == 0 {
		return withHints(errors.New("there is no current generation to roll back from"), "run gocfg switch first")
	}
	to, err := m.rollbackTarget(env, cur, opts.To)
	if err != nil {
		return err
	}
	if to == cur {
		return withHints(fmt.Errorf("generation %d is already current", to), "pick another one with --to N (see gocfg generations list)")
	}
	target, err := m.readApplied(to)
	if errors.Is(err, fs.ErrNotExist) {
		return withHints(fmt.Errorf("there is no generation %d", to), "list them with: gocfg generations list")
	}
	if err != nil {
		return m.damagedGeneration(err, to)
	}
	// Its stored contents are what the homes' links will show.
	if err := m.refuseDamaged(to); err != nil {
		return err
	}
	// A conflict in a user's files holds her files, as a switch does
	// (tester AE: her edit of her authorized_keys refused every root
	// rollback, and deploy's automatic one); a step on them that fails
	// holds them too, and the rollback is planned again without them.
	// Only files and secrets: the new generation takes a held home's
	// files tree, and her secrets' ciphertexts, whole from the current
	// one (generations.NewGeneration.RootsFrom), while user units, launch
	// agents and preferences are planned from the records alone: a
	// conflict there still refuses the rollback (reviewer).
	var hold map[string]string
	for {
		plan, sw, err := m.rollbackPlan(ctx, env, opts, rollbackFrom{cur: cur, to: to, applied: applied, target: target}, hold)
		if err != nil {
			return err
		}
		if opts.DryRun {
			if sw.To == cur {
				fmt.Fprintf(env.Stderr, "gocfg: dry run: generation %d would stay current: it stands for generation %d already\n", cur, to)
			}
			fmt.Fprintln(env.Stderr, "gocfg: dry run: nothing was changed")
			return partialAgain(env, plan, "the plan is partial", fmt.Sprintf("gocfg rollback --to %d", to), "rollback")
		}
		if sw.To == cur {
			// It stands for generation to already (rollbackPlan): with
			// --json, the (empty) plan is the document, and this line
			// goes to stderr (reviewer R20).
			out := env.Stdout
			if opts.JSON {
				if err := platform.WriteJSON(env.Stdout, platform.NewPlanJSON(plan)); err != nil {
					return err
				}
				out = env.Stderr
			}
			fmt.Fprintf(out, "Generation %d stays current: it stands for generation %d already.\n", cur, to)
			return nil
		}
		if heldOnly(plan) {
			// Nothing but the held files differs: no generation, as a
			// switch writes none (reviewer: each try recorded another).
			return partialAgain(env, plan, fmt.Sprintf("the rollback is partial, and generation %d stays current", cur), fmt.Sprintf("gocfg rollback --to %d", to), "rollback")
		}
		err = apply(ctx, env, m, sw, opts.JSON)
		if err == nil {
			return partialAgain(env, plan, "the rollback is partial", fmt.Sprintf("gocfg rollback --to %d", to), "rollback")
		}
		users, ok := failedHomes(err, opts.FailFast, hold)
		if !ok || !m.holdableStep(err, cur, applied) {
			return err
		}
		hold = holdUsers(env, hold, users, err, func(user string) string {
			return fmt.Sprintf("the files and secrets of ~%s are left as they are; rolling back again without them", user)
		})
	}
}

// rollbackTarget is the generation a rollback from cur returns to: to
// when given (--to; a refused one with a warning), else the newest one
// before the generation cur stands for (rolledBackTo) that gocfg deploy
// did not refuse.
func (m *machine) rollbackTarget(env *Env, cur, to int) (int, error) {
	if to != 0 {
		if r, refused := m.store.Refused(to); refused {
			fmt.Fprintf(env.Stderr, "gocfg: warning: generation %d was refused: %s\n", to, diagnostics.Escaped(r.Reason))
		}
		return to, nil
	}
	nums, err := m.store.Numbers()
	if err != nil {
		return 0, err
	}
	from := m.rolledBackTo(cur)
	passed := 0
	for _, n := range nums {
		if n >= from {
			continue
		}
		if _, refused := m.store.Refused(n); refused {
			passed = n
			continue
		}
		to = n
	}
	switch {
	case to == 0 && passed != 0:
		return 0, withHints(fmt.Errorf("every generation before %d was refused by gocfg deploy's magic rollback", from),
			fmt.Sprintf("go back to one anyway with --to N (generation %d is the newest), after gocfg generations diff %d %d", passed, passed, cur))
	case to == 0 && from != cur:
		return 0, withHints(fmt.Errorf("generation %d stands for generation %d (a rollback to it), the oldest one; there is nothing before it", cur, from), "go back to another with --to N (see gocfg generations list)")
	case to == 0:
		return 0, withHints(fmt.Errorf("generation %d is the oldest one; there is nothing before it", cur), "list them with: gocfg generations list")
	case passed > to:
		fmt.Fprintf(env.Stderr, "gocfg: note: passing over the generations after %d that gocfg deploy rolled back from (see gocfg generations list)\n", to)
	}
	return to, nil
}

// rolledBackTo is the generation that generation n stands for: n, or,
// when a rollback recorded n (a held home, or records that no longer
// held: Meta.RollbackOf), the generation it returned to, followed back
// through rollbacks that recorded that one (reviewer: 5 a rollback to
// 3, itself a rollback to 1, stands for 1, not 3). The rollback without
// --to goes on from there, as from that generation made current again
// (tester AG: after a rollback from 3 to 2 recorded 4, the next one
// returned to 3, the generation rolled away from). RollbackOf is below
// the generation that records it, so the walk ends.
func (m *machine) rolledBackTo(n int) int {
	for {
		meta, err := m.store.Meta(n)
		if err != nil || meta.Command != "rollback" || meta.RollbackOf <= 0 || meta.RollbackOf >= n {
			return n
		}
		n = meta.RollbackOf
	}
}

// holdableStep reports whether err is a switch's that failed at a step
// a rollback can hold (see runRollback): of the files provider (a home's
// file or folder), or of a user's secret, unless the current generation
// cur (whose records are applied) keeps her ciphertexts with everyone's,
// so that her secrets cannot be held (reviewer R15: the rollback said it
// rolled back again without her, and failed the same way). One that
// records none of hers can hold them, as the secrets provider decides
// (reviewer R17).
func (m *machine) holdableStep(err error, cur int, applied platform.Applied) bool {
	var ae *platform.ApplyError
	if !errors.As(err, &ae) {
		return false
	}
	kind, _, _ := strings.Cut(ae.ID, ":")
	switch kind {
	case "file", "dir":
		return true
	case "secret":
		user, ok := platform.HomeOf(ae.ID)
		if !ok {
			return false
		}
		if recs, err := secrets.DecodeRecords(applied["secrets"]); err == nil && recs.Homes[user] == nil {
			return true
		}
		return !secrets.StoredWithEveryones(m.sys, m.store, cur, user)
	}
	return false
}

// nothingElse reports whether a rollback's plan changes nothing and
// holds nothing, and its records still hold.
func nothingElse(plan *platform.Plan) bool {
	return plan.Empty() && len(plan.Rerecorded) == 0 && len(plan.HeldRoots) == 0 &&
		!slices.ContainsFunc(plan.Conflicts, func(c platform.Conflict) bool { return c.Held })
}

// heldOnly reports whether a rollback's plan changes nothing but what it
// holds: it then records no generation, and the current one stays.
func heldOnly(plan *platform.Plan) bool {
	return plan.Empty() && len(plan.HeldRoots) > 0 && len(plan.Rerecorded) == 0
}

// rollbackFrom is what a rollback goes from and to: the current
// generation and its records, generation to and its.
type rollbackFrom struct {
	cur, to         int
	applied, target platform.Applied
}

// rollbackPlan plans the rollback r with the homes of hold held, shows
// the plan, and returns it with the switch that applies it: a flip to
// generation r.to, or a new generation when r.to's records no longer
// hold or a home is held.
func (m *machine) rollbackPlan(ctx context.Context, env *Env, opts *rollbackOptions, r rollbackFrom, hold map[string]string) (*platform.Plan, platform.Switch, error) {
	provs, err := platform.RecordProviders(m.planned(r.cur, r.to, mach.Switch{BackupExt: opts.BackupExt, FailFast: opts.FailFast, Secrets: opts.Secrets, Identities: opts.Identities, Hold: hold}), r.to, r.target)
	if err != nil {
		return nil, platform.Switch{}, err
	}
	plan, err := platform.MakePlan(ctx, r.applied, provs...)
	if err != nil {
		return nil, platform.Switch{}, providerError(err)
	}
	// A rollback reads no configuration: force = true is no remedy here.
	for i := range plan.Conflicts {
		plan.Conflicts[i].Remedies = platform.Without(plan.Conflicts[i].Remedies, platform.ByConfig)
	}
	for _, u := range slices.Sorted(maps.Keys(hold)) {
		// Her files and secrets (holdableStep; tester AU: the final
		// warning said "files" alone).
		plan.Conflicts = append(plan.Conflicts, platform.Conflict{ID: "home-files:~" + u, Path: "~" + u, Problem: hold[u], Held: true,
			Remedies: []platform.Remedy{platform.Fix(heldHomeRemedy(u, fmt.Sprintf("gocfg rollback --to %d", r.to)))}})
	}
	sw := platform.Switch{From: r.cur, To: r.to, Plan: plan, Command: "rollback"}
	// A target that keeps users' secrets in one root (made before
	// secrets.HomeStoreRoot) is recorded again with a root for each
	// (Part.AddedRoots): made current as it was, one user's file in the
	// way of her secret would refuse root's next rollback from it whole
	// (tester AX).
	split := len(plan.AddedRoots()) > 0
	if split && nothingElse(plan) && m.rolledBackTo(r.cur) == r.to {
		// The current generation is a record of generation to
		// already, its secrets apart, and nothing differs: another
		// would only pile up (tester AZ: each rollback to an old
		// layout's generation recorded one more). No note of one
		// (tester BA).
		sw.To = r.cur
	} else if !heldOnly(plan) && (len(plan.Rerecorded) > 0 || len(plan.Holders) > 0 || split) {
		if sw.Generation, err = m.rerecordedGeneration(env, r.to, r.target, plan, r.cur); err != nil {
			return nil, platform.Switch{}, err
		}
		sw.To = sw.Generation.Meta.Number
		switch {
		case len(plan.Rerecorded) > 0:
			plan.Notes = append(plan.Notes, fmt.Sprintf("generation %d's records no longer hold (above): this rollback records generation %d, generation %d's configuration and files with what it applies, and makes it current", r.to, sw.To, r.to))
		case len(plan.HeldRoots) == 0 && !slices.ContainsFunc(plan.Conflicts, func(c platform.Conflict) bool { return c.Held }):
			plan.Notes = append(plan.Notes, fmt.Sprintf("generation %d keeps all users' secrets together, as gocfg did before: this rollback records generation %d, generation %d's configuration and files with each user's secrets apart, so that a later rollback can hold one user's alone, and makes it current", r.to, sw.To, r.to))
		default:
			plan.Notes = append(plan.Notes, fmt.Sprintf("some users' homes are held (see the warnings): this rollback records generation %d, generation %d's configuration and files with those homes as generation %d has them, and makes it current", sw.To, r.to, r.cur))
		}
	}
	// With --json the plan and the result are one document, printed once
	// applied; the plan alone for a dry run or a refusal (reviewer: a
	// held home printed both).
	title := fmt.Sprintf("gocfg will make these changes to return to generation %d:", r.to)
	refused := slices.ContainsFunc(plan.Conflicts, func(c platform.Conflict) bool { return !c.Held })
	switch {
	case !opts.JSON || opts.DryRun || refused:
		if err := showPlanTo(env, plan, opts.JSON, title, r.to, nil); err != nil {
			return nil, platform.Switch{}, err
		}
	default:
		for _, c := range plan.Conflicts {
			warnHeld(env, c, nil)
		}
	}
	return plan, sw, nil
}
