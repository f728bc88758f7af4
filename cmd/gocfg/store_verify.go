package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/macos/launchd"
	"github.com/gocfg/gocfg/platform/secrets"
	"github.com/gocfg/gocfg/platform/systemd"
	"github.com/spf13/cobra"
)

// storeVerifyOptions are the inputs of `gocfg store verify`.
type storeVerifyOptions struct {
	Env     *Env
	Machine machineFlags
	Repair  bool
}

func newStoreVerifyCmd(env *Env, runF func(context.Context, *storeVerifyOptions) error) *cobra.Command {
	opts := &storeVerifyOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check every stored content a generation uses; with --repair, rewrite what can be rebuilt",
		Long: `Read every stored content that a generation uses, as nix-store --verify
--check-contents does: each file against the hash its generation recorded,
each folder against its name (the hash of its listing), and each link to a
subfolder. Print what is damaged (the managed path, the generations that use
it, the stored path) and fail when anything is.

With --repair, write the damaged contents again under their names from what
the current generation's records name: the source files in the dotfiles
repository, hashed again to check that they still give the recorded content,
and intact stored copies of the same content. The changed bytes are kept in
the store's .tmp-edited folder until gocfg generations gc. What cannot be
rebuilt (content that came from text in the configuration, or from sources
that have changed since) is listed; roll back or switch away from the
generations that use it, and delete them.

gocfg rollback refuses a generation with damaged contents.` + exitCodesHelp + `
  1  also: something is damaged (and, with --repair, could not be repaired)`,
		Args:        cobra.NoArgs,
		Annotations: sysAnnotations(sysReadOnly, "repair"),
		RunE:        func(cmd *cobra.Command, args []string) error { return runF(cmd.Context(), opts) },
	}
	opts.Machine.registerExisting(cmd)
	cmd.Flags().BoolVar(&opts.Repair, "repair", false, "write damaged contents again from the current generation's sources")
	return cmd
}

func runStoreVerify(ctx context.Context, opts *storeVerifyOptions) error {
	env := opts.Env
	m, unlock, err := openLockOrWarn(ctx, env, opts.Machine, opts.Repair)
	if err != nil {
		return err
	}
	defer unlock()
	if uid, yes := m.othersState(); yes {
		// Reviewer R10 (and tester AO): run by an ordinary user on
		// root's tree, what she may not read was called damaged, with
		// --repair as the way out.
		return withHints(fmt.Errorf("%s: the state folder is uid %d's, not yours: you may not read all of its store, so it cannot be checked", m.hostPath(m.store.Dir()), uid),
			"run gocfg store verify as its owner (root's: sudo gocfg store verify)")
	}
	nums, err := m.store.Numbers()
	if err != nil {
		return err
	}
	if len(nums) == 0 {
		fmt.Fprintf(env.Stdout, "No generation yet: nothing is stored (state folder %s).\n", m.hostPath(m.store.Dir()))
		return nil
	}
	exp := m.expectations(nums)
	rep, err := m.store.Verify(generations.VerifyOptions{Expect: exp.expect, Complete: exp.complete, Roots: exp.rootsOf})
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "Checked %s and %s of %s.\n", plural(rep.Objects, "stored folder"), plural(rep.Files, "file"), generationList(rep.Generations))
	for _, p := range exp.problems {
		fmt.Fprintf(env.Stderr, "gocfg: warning: %s\n", p)
	}
	if len(rep.Damaged) == 0 {
		fmt.Fprintln(w, "Nothing is damaged.")
		return nil
	}
	sortDamage(rep.Damaged)
	if !opts.Repair {
		fmt.Fprintf(w, "\nDamaged:\n")
		for _, d := range rep.Damaged {
			writeDamage(w, d, "")
		}
		return withHints(fmt.Errorf("%s damaged", plural(len(rep.Damaged), "stored content is", "stored contents are")),
			"gocfg store verify --repair writes them again from the current generation's sources, where those still give them")
	}
	cur, err := m.store.Current()
	if err != nil {
		return err
	}
	fixed, failed, err := m.store.Repair(rep, m.repairSources(cur))
	if len(fixed) > 0 {
		fmt.Fprintf(w, "\nRepaired:\n")
		for _, f := range fixed {
			how := f.How
			if f.Damage.Got != "" && f.Damage.Got != f.Damage.Want {
				how += "; the changed bytes are kept as " + m.store.EditedPath(f.Damage.Got)
			}
			writeDamage(w, f.Damage, how)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(w, "\nCannot repair:\n")
		for _, f := range failed {
			writeDamage(w, f.Damage, f.Why)
		}
	}
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return withHints(fmt.Errorf("%s cannot be repaired", plural(len(failed), "stored content", "stored contents")),
			"put the source files back as they were from version control (git log -p -- FILE), and run gocfg store verify --repair again",
			"or roll back or switch away from the generations that use them, then delete them: gocfg generations delete N...")
	}
	return nil
}

// writeDamage prints one damaged content: the managed paths and the
// generations that use it, what is wrong, the stored path, and how (or
// why not) it was repaired.
func writeDamage(w io.Writer, d *generations.Damage, how string) {
	names, nums := damageUses(d)
	fmt.Fprintf(w, "  %s (%s): %s\n", platform.Printable(strings.Join(names, ", ")), generationList(nums), platform.Printable(d.Problem))
	fmt.Fprintf(w, "      %s\n", platform.Printable(d.Path))
	if how != "" {
		fmt.Fprintf(w, "      %s\n", platform.Printable(how))
	}
}

// damageUses returns the managed paths and the generations that use d.
func damageUses(d *generations.Damage) ([]string, []int) {
	var names []string
	var nums []int
	for _, u := range d.Uses {
		if n := displayStored(u.Root, u.Rel); !slices.Contains(names, n) {
			names = append(names, n)
		}
		if !slices.Contains(nums, u.Generation) {
			nums = append(nums, u.Generation)
		}
	}
	slices.Sort(nums)
	return names, nums
}

// sortDamage orders damage by the managed path, then the generations.
func sortDamage(ds []*generations.Damage) {
	slices.SortStableFunc(ds, func(a, b *generations.Damage) int {
		an, ag := damageUses(a)
		bn, bg := damageUses(b)
		if c := strings.Compare(strings.Join(an, ", "), strings.Join(bn, ", ")); c != 0 {
			return c
		}
		return slices.Compare(ag, bg)
	})
}

// displayStored names a path of a generation's files tree as plans do:
// ~alice/.zshrc, /etc/motd, the original of ~alice/.bashrc, the
// ciphertext of ~alice's secret netrc; a folder ends with a slash.
func displayStored(root, rel string) string {
	if r, ok := strings.CutPrefix(root, "originals/"); ok {
		return "the original of " + displayStored(r, rel)
	}
	var s string
	switch {
	case strings.HasPrefix(root, "home/"):
		s = "~" + strings.TrimPrefix(root, "home/")
		if rel != "" {
			s += "/" + rel
		}
	case root == "etc" || root == "etc-private":
		s = "/etc/" + rel
	case strings.HasPrefix(root, "age-home/") && rel != "":
		s = "the ciphertext of ~" + strings.TrimPrefix(root, "age-home/") + "'s secret " + rel
	case root == secrets.StoreRoot && strings.HasPrefix(rel, "system/"):
		s = "the ciphertext of secret " + strings.TrimPrefix(rel, "system/")
	case root == secrets.StoreRoot && strings.HasPrefix(rel, "home/") && strings.Count(rel, "/") == 2:
		user, name, _ := strings.Cut(strings.TrimPrefix(rel, "home/"), "/")
		s = "the ciphertext of ~" + user + "'s secret " + name
	default:
		s = root + "/" + rel
	}
	return strings.TrimSuffix(s, "/")
}

// generationList says "generation 2" or "generations 1, 2 and 5".
func generationList(nums []int) string {
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = strconv.Itoa(n)
	}
	switch len(parts) {
	case 0:
		return "no generation"
	case 1:
		return "generation " + parts[0]
	}
	return "generations " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// plural says "1 file" or "2 files"; forms gives the singular and plural
// when adding an s will not do.
func plural(n int, forms ...string) string {
	one, many := forms[0], forms[0]+"s"
	if len(forms) > 1 {
		many = forms[1]
	}
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// expectations are what each generation's records say its stored files
// hold, by generation and files-tree path.
type expectations struct {
	byGen map[int]map[string]generations.StoredFile
	// roots are the files roots each generation's records cover.
	roots map[int]map[string]bool
	// problems are generations whose records cannot be read: their
	// files are checked against their folders' names only.
	problems []string
}

// expectations reads the records of generations nums.
func (m *machine) expectations(nums []int) *expectations {
	e := &expectations{byGen: map[int]map[string]generations.StoredFile{}, roots: map[int]map[string]bool{}}
	for _, n := range nums {
		stored, err := m.storedOf(n)
		if err != nil {
			e.problems = append(e.problems, fmt.Sprintf("generation %d: %v; its stored files are checked against their folders' names only", n, err))
			continue
		}
		byPath := map[string]generations.StoredFile{}
		roots := map[string]bool{}
		for _, s := range stored {
			byPath[s.Root+"\x00"+s.Rel] = s
			roots[s.Root] = true
		}
		e.byGen[n], e.roots[n] = byPath, roots
	}
	return e
}

// expect is generations.VerifyOptions.Expect.
func (e *expectations) expect(n int, root, rel string) (string, bool, bool) {
	s, ok := e.byGen[n][root+"\x00"+rel]
	return s.Hash, s.Exec, ok
}

// rootsOf is generations.VerifyOptions.Roots: the files roots of the
// files generation n's records name.
func (e *expectations) rootsOf(n int) []string {
	return slices.Sorted(maps.Keys(e.roots[n]))
}

// complete is generations.VerifyOptions.Complete: the records read by
// storedOf name every file of the roots they use.
func (e *expectations) complete(n int, root string) bool { return e.roots[n][root] }

// storedOf lists what generation n's records say it stores: the files
// provider's contents, the secrets provider's ciphertexts, the systemd
// provider's unit files and the launchd provider's plists.
func (m *machine) storedOf(n int) ([]generations.StoredFile, error) {
	applied, err := m.readApplied(n)
	if err != nil {
		return nil, err
	}
	fr, err := files.DecodeRecords(applied["files"])
	if err != nil {
		return nil, generations.Damaged(m.resourcesPath(n), err)
	}
	sr, err := systemd.DecodeRecords(applied["systemd"])
	if err != nil {
		return nil, generations.Damaged(m.resourcesPath(n), err)
	}
	lr, err := launchd.DecodeRecords(applied["launchd"])
	if err != nil {
		return nil, generations.Damaged(m.resourcesPath(n), err)
	}
	cr, err := secrets.DecodeRecords(applied["secrets"])
	if err != nil {
		return nil, generations.Damaged(m.resourcesPath(n), err)
	}
	stored := files.Stored(fr)
	stored = append(stored, secrets.Stored(m.sys, m.store, n, cr)...)
	for _, u := range sr.Units {
		stored = append(stored, generations.StoredFile{Root: u.Root, Rel: u.Rel, Hash: u.Hash})
	}
	for _, j := range lr.Jobs {
		stored = append(stored, generations.StoredFile{Root: j.Root, Rel: j.Rel, Hash: j.Hash})
	}
	for i := range stored {
		stored[i].Gen = n
	}
	return stored, nil
}

// repairSources gives, by content hash, the source files the records
// of generation cur name that still have that content.
func (m *machine) repairSources(cur int) func(hash string) (generations.RepairSource, bool) {
	var byHash map[string][]string
	if cur > 0 {
		if applied, err := m.readApplied(cur); err == nil {
			if fr, err := files.DecodeRecords(applied["files"]); err == nil {
				byHash = files.Sources(fr)
			}
			if cr, err := secrets.DecodeRecords(applied["secrets"]); err == nil {
				if byHash == nil {
					byHash = map[string][]string{}
				}
				for h, ps := range secrets.Sources(cr) {
					byHash[h] = append(byHash[h], ps...)
				}
			}
		}
	}
	return func(hash string) (generations.RepairSource, bool) {
		for _, p := range byHash[hash] {
			if h, err := hashHostFile(m, p); err == nil && h == hash {
				return generations.RepairSource{From: p, Open: func() (io.ReadCloser, error) { return m.host.Open(p) }}, true
			}
		}
		return generations.RepairSource{}, false
	}
}

// refuseDamaged refuses a rollback to generation n when a stored content
// it uses is damaged: linking it would put the damage in the homes.
// Files are read only when their stat signature is not the recorded one.
func (m *machine) refuseDamaged(n int) error {
	exp := m.expectations([]int{n})
	rep, err := m.store.Verify(generations.VerifyOptions{Generations: []int{n}, Expect: exp.expect, Complete: exp.complete, Roots: exp.rootsOf, Cached: true})
	if err != nil {
		return err
	}
	// A rollback holds the lock: what was read is worth keeping.
	m.store.SaveSignatures()
	if len(rep.Damaged) == 0 {
		return nil
	}
	sortDamage(rep.Damaged)
	var b strings.Builder
	fmt.Fprintf(&b, "generation %d uses damaged stored contents; not rolling back to it:\n", n)
	for _, d := range rep.Damaged {
		writeDamage(&b, d, "")
	}
	return withHints(errors.New(strings.TrimSuffix(b.String(), "\n")),
		"gocfg store verify --repair writes them again from the current generation's sources, where those still give them",
		"or roll back to another generation (gocfg generations list); nothing was changed")
}

// hashHostFile returns the sha256 of the content of the host file p.
func hashHostFile(m *machine, p string) (string, error) {
	f, err := m.host.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// othersState reports whether the state folder is another user's
// (uid), root's most likely, while an ordinary user runs gocfg: she
// may not read all of its store.
func (m *machine) othersState() (uid int, yes bool) {
	if m.privileged {
		return 0, false
	}
	fi, err := m.sys.Lstat(m.store.Dir())
	if err != nil {
		return 0, false
	}
	uid, _, ok := owner(fi)
	return uid, ok && uid != m.env.EUID
}
