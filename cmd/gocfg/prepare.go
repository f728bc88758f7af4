package main

import (
	"context"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/gitinfo"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// applyFlags are the flags plan and switch share.
type applyFlags struct {
	Config    configFlags
	Machine   machineFlags
	BackupExt string
	JSON      bool
}

// prepared is an evaluated configuration planned against the machine.
type prepared struct {
	m       *machine
	plan    *platform.Plan
	config  []byte // config.json
	source  string // the configuration folder
	current int
	next    int
	unlock  system.Unlocker
	// git receives the dotfiles repository's commit, looked up while
	// the plan is made (git status over many files takes a while).
	git chan gitState
}

// gitState is what meta.json records of the dotfiles repository.
type gitState struct {
	commit string
	dirty  bool
}

// prepare evaluates the configuration and plans it. With lock, it takes
// the state lock (recovering an interrupted switch) and keeps it: the
// caller releases p.unlock.
func prepare(ctx context.Context, env *Env, f *applyFlags, dryRun, lock bool) (*prepared, error) {
	entry, err := f.Config.entry(env)
	if err != nil {
		return nil, err
	}
	if err := f.Machine.validate(env); err != nil {
		return nil, err
	}
	ev, err := f.Config.load(f.Machine.evalEnv(env), entry)
	if err != nil {
		return nil, err
	}
	js, diags := ev.JSON("")
	if err := printDiags(env, ev, diags); err != nil {
		return nil, err
	}
	m, err := openMachine(env, f.Machine, dryRun)
	if err != nil {
		return nil, err
	}
	p := &prepared{m: m, config: js, source: filepath.Dir(entry)}
	if filepath.Base(p.source) == "hosts" {
		p.source = filepath.Dir(p.source)
	}
	p.git = make(chan gitState, 1)
	if !lock {
		// plan and dry runs record no generation.
		p.git <- gitState{}
	} else {
		go p.describeSource(ctx)
	}
	if lock {
		if p.unlock, err = m.lock(ctx); err != nil {
			return nil, err
		}
	} else {
		m.warnPending()
	}
	ok := false
	defer func() {
		if !ok && p.unlock != nil {
			_ = p.unlock.Unlock()
		}
	}()
	cur, applied, err := m.current()
	if err != nil {
		return nil, err
	}
	next, err := m.store.Next()
	if err != nil {
		return nil, err
	}
	p.current, p.next = cur, next
	var plists map[string]any
	if m.os == "darwin" {
		if plists, err = plistOptions(ev); err != nil {
			return nil, err
		}
	}
	provs, err := m.configProviders(js, plists, m.layout(cur, next, f.BackupExt))
	if err != nil {
		return nil, err
	}
	p.plan, err = platform.MakePlan(ctx, applied, provs...)
	if err != nil {
		return nil, providerError(err)
	}
	ok = true
	return p, nil
}

// showPlan prints the plan (text or JSON) and refuses conflicts.
func showPlan(env *Env, p *platform.Plan, asJSON bool, title string) error {
	if asJSON {
		if err := platform.WriteJSON(env.Stdout, platform.NewPlanJSON(p)); err != nil {
			return err
		}
	} else if len(p.Conflicts) == 0 {
		if err := (platform.View{Out: env.Stdout, Color: env.ColorOut}).Plan(p, title); err != nil {
			return err
		}
	}
	if len(p.Conflicts) > 0 {
		return conflictError(p.Conflicts)
	}
	return nil
}

// describeSource looks up the dotfiles repository's commit for meta.json.
func (p *prepared) describeSource(ctx context.Context) {
	var g gitState
	g.commit, g.dirty, _ = gitinfo.Describe(ctx, p.source)
	p.git <- g
}
