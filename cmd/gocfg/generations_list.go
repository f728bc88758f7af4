package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/spf13/cobra"
)

// generationsListOptions are the inputs of `gocfg generations list`.
type generationsListOptions struct {
	Env     *Env
	Machine machineFlags
	JSON    bool
}

func newGenerationsListCmd(env *Env, runF func(context.Context, *generationsListOptions) error) *cobra.Command {
	opts := &generationsListOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the generations, oldest first, with the current one marked",
		Long: `List every generation: its number, when it was made (UTC), a * on the
current one, the git commit of the dotfiles repository it was made from (+
when it had uncommitted changes), and what it changed. A generation that a
rollback made (generation N's records no longer held: see gocfg rollback)
says "(rollback to N)". A partial switch or rollback (exit status 3) says
whose homes it left as they were: "(left as they were: ~alice)"; their
files, secrets and units kept the records of the generation before.

The generation of a switch or rollback that has not made it current says
"(unfinished: …)", with "unfinished" true in --json: either it was
interrupted, and the next gocfg command that changes the machine (switch,
rollback, generations gc or delete) undoes it and deletes the generation,
or it is still running, "(unfinished: a switch is under way, pid N)", with
"under_way" true as well.

A generation whose meta.json is damaged (empty, truncated, not JSON, or
not about that generation) is listed as damaged, with "damaged" set to
the reason in --json, and the others are listed all the same; the command
then fails, naming each damaged file, so that scripts notice.` + exitCodesHelp + `
     (also when a generation is damaged: the others are listed all the same)`,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReadOnly),
		RunE:        func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	opts.Machine.registerExisting(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// generationJSON is one generation in `generations list --json`.
type generationJSON struct {
	generations.Meta
	Current bool `json:"current"`
	// Refused is why gocfg deploy's magic rollback returned from it
	// (generations.Store.Refuse); a plain rollback passes over it.
	Refused *generations.Refusal `json:"refused,omitempty"`
	// Unfinished: the switch or rollback that wrote it has not made it
	// current: it was interrupted, and the next gocfg command that
	// changes the machine (switch, rollback, generations gc or delete)
	// undoes it and deletes the generation first; or, with UnderWay, it
	// is still running.
	Unfinished bool `json:"unfinished,omitempty"`
	// UnderWay, with Unfinished: the switch or rollback that writes it
	// holds the state lock now (tester BI #3: a running switch's
	// generation was said to be interrupted).
	UnderWay bool `json:"under_way,omitempty"`
}

// damagedJSON is a generation whose meta.json is damaged, in
// `generations list --json`: what is wrong instead of what it says.
type damagedJSON struct {
	Number  int    `json:"number"`
	Current bool   `json:"current"`
	Damaged string `json:"damaged"`
}

func runGenerationsList(_ context.Context, opts *generationsListOptions) error {
	env := opts.Env
	m, err := openMachine(env, opts.Machine)
	if err != nil {
		return err
	}
	nums, cur, err := m.generations()
	if err != nil {
		return err
	}
	// The generation of a switch that was interrupted before its flip
	// is not one to roll back to: the next command undoes it (tester H
	// saw it listed as any other, and rollback --to it then said there
	// was no such generation).
	// A switch under way holds the state lock: its generation is
	// unfinished too, but not interrupted (tester BI #3).
	unfinished, holder, command := 0, 0, ""
	// A rollback's target is an older generation, whole: not that
	// (tester T).
	if in, err := m.engine.Interrupted(); err == nil && in != nil && !in.Flipped && in.Created {
		unfinished, holder, command = in.To, m.lockHolder(), in.Command
		if command == "" {
			command = "switch"
		}
	}
	list := []any{}
	var damaged []error
	for _, n := range nums {
		meta, err := m.store.Meta(n)
		if errors.Is(err, fs.ErrNotExist) {
			err = &generations.DamagedError{Path: filepath.Join(m.store.Path(n), "meta.json"), Err: errors.New("the file is missing")}
		}
		var de *generations.DamagedError
		switch {
		case errors.As(err, &de):
			damaged = append(damaged, err)
			list = append(list, damagedJSON{Number: n, Current: n == cur, Damaged: de.Err.Error()})
		case err != nil:
			return err
		default:
			g := generationJSON{Meta: meta, Current: n == cur, Unfinished: n == unfinished, UnderWay: n == unfinished && holder > 0}
			if r, refused := m.store.Refused(n); refused {
				g.Refused = &r
			}
			list = append(list, g)
		}
	}
	if opts.JSON {
		if err := platform.WriteJSON(env.Stdout, list); err != nil {
			return err
		}
		return damagedMetaError(damaged)
	}
	if len(list) == 0 {
		_, err := fmt.Fprintf(env.Stdout, "No generations yet in %s.\n", m.hostPath(m.store.Dir()))
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "GEN\tDATE (UTC)\tCOMMIT\tCHANGES")
	for _, e := range list {
		switch g := e.(type) {
		case damagedJSON:
			fmt.Fprintf(tw, "%d%s\t?\t?\tdamaged: %s\n", g.Number, currentMark(g.Current), g.Damaged)
		case generationJSON:
			commit := "-"
			if g.Commit != "" {
				commit = shortCommit(g.Commit)
				if g.Dirty {
					commit += "+"
				}
			}
			changes := summaryText(g.Summary)
			if g.RollbackOf > 0 {
				changes += fmt.Sprintf(" (rollback to %d)", g.RollbackOf)
			}
			if len(g.Held) > 0 {
				changes += " (left as they were: ~" + strings.Join(g.Held, ", ~") + ")"
			}
			if g.Refused != nil {
				reason, _, _ := strings.Cut(g.Refused.Reason, "\n")
				changes += " (refused: " + platform.Printable(reason) + ")"
			}
			switch {
			case g.UnderWay:
				changes += fmt.Sprintf(" (unfinished: a %s is under way, pid %d)", command, holder)
			case g.Unfinished:
				changes += " (unfinished: its switch was interrupted; " + recoverers + ", undoes it)"
			}
			fmt.Fprintf(tw, "%d%s\t%s\t%s\t%s\n", g.Number, currentMark(g.Current), g.Time.UTC().Format("2006-01-02 15:04:05"), commit, changes)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return damagedMetaError(damaged)
}

func currentMark(current bool) string {
	if current {
		return "*"
	}
	return " "
}

// damagedMetaError reports the generations whose meta.json is damaged,
// after the list; nil when there is none.
func damagedMetaError(damaged []error) error {
	if len(damaged) == 0 {
		return nil
	}
	err := damaged[0]
	if len(damaged) > 1 {
		var b strings.Builder
		fmt.Fprintf(&b, "%d generations are damaged:", len(damaged))
		for _, d := range damaged {
			fmt.Fprintf(&b, "\n  %v", d)
		}
		err = errors.New(b.String())
	}
	return withHints(err,
		"the other generations are listed all the same; a rollback to a generation reads its resources.json (its meta.json only describes it), and one without it cannot be returned to",
		"to be rid of a damaged generation that is not current: gocfg generations delete N")
}

func summaryText(s generations.Summary) string {
	var parts []string
	if s.Add > 0 {
		parts = append(parts, fmt.Sprintf("+%d", s.Add))
	}
	if s.Change > 0 {
		parts = append(parts, fmt.Sprintf("~%d", s.Change))
	}
	if s.Remove > 0 {
		parts = append(parts, fmt.Sprintf("-%d", s.Remove))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// generations returns the numbers of m's generations, oldest first, and
// the current one (0: none).
func (m *machine) generations() (nums []int, cur int, err error) {
	if nums, err = m.store.Numbers(); err != nil {
		return nil, 0, err
	}
	if cur, err = m.store.Current(); err != nil {
		return nil, 0, err
	}
	return nums, cur, nil
}
