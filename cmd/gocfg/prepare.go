package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/gocfg/gocfg/deploy/bundle"
	"github.com/gocfg/gocfg/internal/diagnostics"
	"github.com/gocfg/gocfg/internal/gitinfo"
	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/platform"
	mach "github.com/gocfg/gocfg/platform/machine"
	"github.com/gocfg/gocfg/platform/system"
)

// applyFlags are the flags plan and switch share.
type applyFlags struct {
	Config    configFlags
	Machine   machineFlags
	BackupExt string
	JSON      bool
	// FailFast refuses the whole switch for a conflict in any home,
	// instead of leaving that user's files as they are.
	FailFast bool
	// Bundle is --bundle: the folder of a deploy bundle (deploy/bundle)
	// whose configuration, evaluated on the deploying machine, is planned
	// instead of one evaluated here (gocfg deploy runs this on a host).
	Bundle string
	// Secrets and Identities: --secrets decrypts age.secrets into a
	// --root tree with the --identity files of this machine.
	Secrets    bool
	Identities []string
}

// validateSecrets checks --secrets and --identity: for --root builds
// only (a live switch decrypts with age.identity_paths), --secrets with
// at least one identity; the paths are made absolute.
func (f *applyFlags) validateSecrets(env *Env) error {
	if err := validateSecrets(env, f.Machine.Root, f.Secrets, f.Identities); err != nil {
		return err
	}
	f.Machine.identities = f.Identities
	return nil
}

// validateSecrets checks --secrets (secrets) and --identity (ids) of a
// switch or a rollback of the tree root ("": this machine).
func validateSecrets(env *Env, root string, secrets bool, ids []string) error {
	switch {
	case (secrets || len(ids) > 0) && root == "":
		return withHints(errors.New("--secrets and --identity are for --root builds"), "a switch of this machine decrypts with age.identity_paths")
	case secrets && len(ids) == 0:
		return withHints(errors.New("--secrets needs the key to decrypt with"), "add --identity FILE (an age key or an OpenSSH private key on this machine)")
	case len(ids) > 0 && !secrets:
		return withHints(errors.New("--identity decrypts only with --secrets"), "add --secrets to decrypt age.secrets into the tree")
	}
	for i, id := range ids {
		if !filepath.IsAbs(id) {
			ids[i] = filepath.Join(env.WorkDir, id)
		}
	}
	return nil
}

// prepared is an evaluated configuration planned against the machine.
type prepared struct {
	m      *machine
	plan   *platform.Plan
	config []byte // config.json
	source string // the configuration folder (--bundle: the bundle's)
	host   string // the host whose configuration it is, for meta.json
	// deployed: the configuration came from a deploy bundle.
	deployed bool
	current  int
	next     int
	unlock   system.Unlocker
	// git receives the dotfiles repository's commit, looked up once
	// describe is called (startGit): when the switch is known to record a
	// generation, so a switch with nothing to do runs no git, while the
	// plan is shown and its records encoded (git status over many files
	// takes a while). describe is nil when git is not asked (plan, dry
	// runs, deploy bundles: git holds the answer already).
	git      chan gitState
	describe func()
	gitDone  *gitState // what git answered, once read from git
	// plan plans again, with the users whose homes the switch holds
	// (machine.Switch.Hold), under the lock makePlan took: a switch
	// whose step failed in a home tries again without it (retry.go).
	replan func(ctx context.Context, hold map[string]string) error
	hold   map[string]string
	// locate is the evaluation, for showing where a held conflict's
	// option is defined (nil: not known, as for a bundle).
	locate func() *modules.Evaluation
}

// gitState is what meta.json records of the dotfiles repository.
type gitState struct {
	commit string
	dirty  bool
}

// prepare evaluates the configuration and plans it, on the machine as
// the command f was registered on may touch it (openMachine). With lock,
// it takes the state lock (recovering an interrupted switch) and keeps
// it: the caller releases p.unlock.
func prepare(ctx context.Context, env *Env, f *applyFlags, lock bool) (*prepared, error) {
	ext, err := backupExt(f.BackupExt)
	if err != nil {
		return nil, err
	}
	f.BackupExt = ext
	if f.Bundle != "" {
		return prepareBundle(ctx, env, f, lock)
	}
	entry, err := f.Config.entry(env)
	if err != nil {
		return nil, err
	}
	if err := f.Machine.validate(env); err != nil {
		return nil, err
	}
	if err := f.validateSecrets(env); err != nil {
		return nil, err
	}
	c := f.Config.cached(f.Machine.evalEnv(env), entry)
	cfg, err := c.switchConfig()
	if err != nil {
		return nil, err
	}
	js := cfg.JSON
	m, err := openMachine(env, f.Machine)
	if err != nil {
		return nil, err
	}
	p := &prepared{m: m, config: js, source: filepath.Dir(entry), host: f.Config.host(env)}
	if filepath.Base(p.source) == "hosts" {
		p.source = filepath.Dir(p.source)
	}
	p.git = make(chan gitState, 1)
	if !lock {
		// plan and dry runs record no generation.
		p.git <- gitState{}
	} else {
		var once sync.Once
		p.describe = func() {
			once.Do(func() {
				// No git run in a repository whose configuration
				// another user could change (gitConfigTrust).
				if err := gitConfigTrust(ctx, env, p.source); err != nil {
					fmt.Fprintf(env.Stderr, "gocfg: warning: %v; the generation records no commit\n", err)
					p.git <- gitState{}
					return
				}
				go p.describeSource(ctx)
			})
		}
	}
	cfgOf := func(os string) (*platform.Config, error) { return c.providerConfig(cfg, os) }
	shown := func(err error) error { return planError(env, c.located(), err) }
	p.locate = c.located
	if err := p.makePlan(ctx, f, lock, cfgOf, shown); err != nil {
		return nil, err
	}
	return p, nil
}

// prepareBundle is prepare for --bundle: the configuration is the one a
// deploy bundle holds, evaluated on the deploying machine, and the files
// it reads are read from the bundle's sources (bundle.SourceRoot) at the
// paths the configuration names. meta.json records the bundle's host and
// commit.
func prepareBundle(ctx context.Context, env *Env, f *applyFlags, lock bool) (*prepared, error) {
	if f.Config.Config != "" || f.Config.Host != "" {
		return nil, withHints(errors.New("--bundle cannot be used with --config or --host: the bundle holds the evaluated configuration of its host"),
			"leave --config and --host out")
	}
	if err := f.Machine.validate(env); err != nil {
		return nil, err
	}
	dir := f.Bundle
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(env.WorkDir, dir)
	}
	dir = filepath.Clean(dir)
	// Run as root, every file of the bundle (its configuration, its
	// plists, its sources) must be root's or the sudo user's, the deploy
	// account that unpacked it in its own cache (deploy/run.go), as a
	// configuration folder's must (docs/design.md §7).
	if err := untrustedTree(env, dir, "the deploy bundle:"); err != nil {
		return nil, err
	}
	b, err := bundle.Read(dir)
	if err != nil {
		return nil, err
	}
	f.Machine.sources = bundle.SourceRoot(dir)
	m, err := openMachine(env, f.Machine)
	if err != nil {
		return nil, err
	}
	p := &prepared{m: m, config: b.Config, source: dir, host: b.Meta.Host, deployed: true}
	p.git = make(chan gitState, 1)
	p.git <- gitState{commit: b.Meta.Commit, dirty: b.Meta.Dirty}
	cfgOf := func(string) (*platform.Config, error) {
		cfg := &platform.Config{JSON: b.Config, Plists: b.Plists}
		if cfg.Plists == nil {
			cfg.Plists = map[string]any{}
		}
		return cfg, nil
	}
	shown := func(err error) error { return bundlePlanError(env, err) }
	if err := p.makePlan(ctx, f, lock, cfgOf, shown); err != nil {
		return nil, err
	}
	return p, nil
}

// makePlan takes the state lock (with lock; the caller releases p.unlock),
// reads the current generation and plans the configuration cfgOf gives
// for the machine's OS against it; shown reports a planning error.
func (p *prepared) makePlan(ctx context.Context, f *applyFlags, lock bool, cfgOf func(os string) (*platform.Config, error), shown func(error) error) error {
	m := p.m
	m.reserveForCurrent()
	var err error
	if p.unlock, err = m.lockOrWarn(ctx, lock); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok && p.unlock != nil {
			_ = p.unlock.Unlock()
		}
	}()
	p.replan = func(ctx context.Context, hold map[string]string) error {
		cur, applied, err := m.current()
		if err != nil {
			return err
		}
		next, err := m.store.Next()
		if err != nil {
			return err
		}
		p.current, p.next = cur, next
		cfg, err := cfgOf(m.os)
		if err != nil {
			return err
		}
		sw := mach.Switch{BackupExt: f.BackupExt, FailFast: f.FailFast, Secrets: f.Secrets, Identities: f.Identities, Hold: hold}
		provs, err := platform.ConfigProviders(m.planned(cur, next, sw), cfg)
		if err != nil {
			return shown(err)
		}
		p.plan, err = platform.MakePlan(ctx, applied, provs...)
		if err != nil {
			return shown(err)
		}
		return nil
	}
	if err := p.replan(ctx, nil); err != nil {
		return err
	}
	ok = true
	return nil
}

// bundlePlanError shows an error from planning a deploy bundle's
// configuration. Its sources are on the deploying machine, so an error
// naming an option (a platform.ConfigError) is shown as
// "gocfg: error: <option>: <msg>", each followed by its hints, for the
// deploying side to place in its sources; others as planError does.
func bundlePlanError(env *Env, err error) error {
	parts := joined(err)
	located := false
	for _, e := range parts {
		_, ok := errorOption(e)
		located = located || ok
	}
	if !located {
		return providerError(err)
	}
	w := &diagnostics.Writer{Out: env.Stderr, Color: env.ColorErr, RelTo: env.WorkDir}
	for _, e := range parts {
		_ = w.Error(e, errorHints(e)...)
	}
	return reportedError{err}
}

// showPlan prints the plan (text or JSON) and refuses conflicts that
// are not held; held ones (a user's files left as they are) are warned
// about, at the definition of their option when locate (nil: none)
// finds it.
func showPlan(env *Env, p *platform.Plan, asJSON bool, title string, locate func() *modules.Evaluation) error {
	return showPlanTo(env, p, asJSON, title, 0, locate)
}

// showPlanTo is showPlan for a rollback to generation to (0: a switch's
// plan), which the text names when nothing changes.
func showPlanTo(env *Env, p *platform.Plan, asJSON bool, title string, to int, locate func() *modules.Evaluation) error {
	refused := false
	for _, c := range p.Conflicts {
		refused = refused || !c.Held
	}
	if asJSON {
		if err := platform.WriteJSON(env.Stdout, platform.NewPlanJSON(p)); err != nil {
			return err
		}
	} else if !refused {
		if err := (platform.View{Out: env.Stdout, Color: env.ColorOut, RollbackTo: to}).Plan(p, title); err != nil {
			return err
		}
	}
	if refused {
		return conflictError(p.Conflicts, definitionsIn(env, locate))
	}
	for _, c := range p.Conflicts {
		warnHeld(env, c, locate) // held_warning.go
	}
	return nil
}

// partial ends a plan or a switch that held some users' files, secrets
// or units (exit status 3), saying what of whose (tester AC: "the files
// of ~mallory" for her units held).
func partial(env *Env, p *platform.Plan, done string) error {
	return partialAgain(env, p, done, "gocfg switch", "switch")
}

// partialAgain is partial for a command whose hint is to run again as
// again, and to refuse such a what whole with --fail-fast.
func partialAgain(env *Env, p *platform.Plan, done, again, what string) error {
	var users []string
	nouns := map[string][]string{}
	for _, c := range p.Conflicts {
		u, ok := heldUser(c)
		if !ok {
			continue
		}
		if _, seen := nouns[u]; !seen {
			users = append(users, u)
		}
		if n := heldNoun(c); !slices.Contains(nouns[u], n) {
			nouns[u] = append(nouns[u], n)
		}
	}
	if len(users) == 0 {
		return nil
	}
	held := make([]string, len(users))
	for i, u := range users {
		held[i] = "the " + joinNouns(nouns[u]) + " of ~" + u
	}
	list := held[0]
	if n := len(held); n > 1 {
		list = strings.Join(held[:n-1], ", ") + " and " + held[n-1]
	}
	fmt.Fprintf(env.Stderr, "gocfg: warning: %s: %s were left as they are (see the warnings above); fix them and run %s again, or pass --fail-fast to refuse such a %s whole\n", done, list, again, what)
	return exitCodeError(exitPartial)
}

// heldUsers are the users whose homes the plan holds, sorted (nil:
// none), for the generation's meta.json.
func heldUsers(p *platform.Plan) []string {
	var users []string
	for _, c := range p.Conflicts {
		if u, ok := heldUser(c); ok {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	return slices.Compact(users)
}

// heldUser returns the user whose home a held conflict keeps.
func heldUser(c platform.Conflict) (string, bool) {
	if !c.Held {
		return "", false
	}
	return platform.HomeOf(c.ID)
}

// heldWhat says what a held conflict leaves as it is: the user's files,
// secrets or units, or (a step of a switch failed there) all three.
func heldWhat(c platform.Conflict) string {
	u, _ := heldUser(c)
	return "the " + heldNoun(c) + " of ~" + u + " are left as they are"
}

// heldNoun names what of a user's a held conflict leaves: "files",
// "user units" …, or "files, secrets and user units" for her whole home.
func heldNoun(c platform.Conflict) string {
	kind, _, _ := strings.Cut(c.ID, ":")
	switch kind {
	case "secret":
		return "secrets"
	case "unit", "units":
		return "user units"
	case "launchd":
		return "launch agents"
	case "defaults", "host-defaults":
		return "preferences"
	case "home":
		return "files, secrets and user units"
	case "home-files":
		// A rollback's hold of a step that failed (runRollback).
		return "files and secrets"
	}
	return "files"
}

// joinNouns joins what is held of one user, each noun once, in one
// order: "files, secrets and user units" for the whole home.
func joinNouns(ns []string) string {
	have := map[string]bool{}
	for _, n := range ns {
		n = strings.ReplaceAll(n, " and ", ", ")
		for _, part := range strings.Split(n, ", ") {
			have[part] = true
		}
	}
	var out []string
	for _, n := range []string{"files", "secrets", "user units", "launch agents", "preferences"} {
		if have[n] {
			out = append(out, n)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

// backupExt checks --backup-ext and returns the suffix backups get. It
// accepts a plain suffix only: letters, digits and . _ - ~ +, so a backup
// stays beside its file; a dot is added when it has none, as
// home-manager's -b bak makes ~/.bashrc.bak.
func backupExt(ext string) (string, error) {
	if ext == "" {
		return "", nil
	}
	ok := len(ext) <= 64 && ext != "." && ext != ".."
	for _, r := range ext {
		ok = ok && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-~+", r))
	}
	if !ok {
		return "", withHints(fmt.Errorf("--backup-ext %q: not a plain suffix", ext),
			"use letters, digits and . _ - ~ + only, such as --backup-ext bak (at most 64 characters)")
	}
	if !strings.Contains(ext, ".") {
		ext = "." + ext
	}
	return ext, nil
}

// startGit starts looking up the dotfiles repository's commit, once.
func (p *prepared) startGit() {
	if p.describe != nil {
		p.describe()
	}
}

// gitState returns the dotfiles repository's commit (startGit first).
func (p *prepared) gitState() gitState {
	if p.gitDone == nil {
		p.startGit()
		g := <-p.git
		p.gitDone = &g
	}
	return *p.gitDone
}

// describeSource looks up the dotfiles repository's commit for meta.json.
func (p *prepared) describeSource(ctx context.Context) {
	var g gitState
	g.commit, g.dirty, _ = gitinfo.Describe(ctx, p.source)
	p.git <- g
}
