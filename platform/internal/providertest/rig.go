package providertest

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/machine"
)

// A Rig switches one provider, configured by a C, from generation to
// generation with Sw and rolls it back, as gocfg switch and rollback do:
// what the launchd and systemd provider tests do on their machines.
type Rig[C any] struct {
	Sw *Switcher
	// Name is the provider's name, under which a generation keeps its
	// records.
	Name string
	// Layout describes a switch from the current generation to
	// generation to.
	Layout func(to int) *machine.Machine
	// Provider is the provider that plans cfg on l.
	Provider func(l *machine.Machine, cfg C) platform.Provider
	// Restorer is the provider that plans a rollback on l to what recs,
	// the records a generation kept, say.
	Restorer func(l *machine.Machine, recs json.RawMessage) (platform.Provider, error)
	// Text shows a plan in a failure message.
	Text func(p *platform.Plan) string
}

// Plan plans cfg as the next generation.
func (r *Rig[C]) Plan(cfg C) (*platform.Plan, platform.Switch) {
	r.Sw.T.Helper()
	l := r.Layout(r.Sw.Next())
	p := r.Sw.Plan(r.Provider(l, cfg))
	return p, r.Sw.SwitchTo(p, l.Current, l.To)
}

// PlanRollback plans a rollback to generation n: desired is what n
// recorded.
func (r *Rig[C]) PlanRollback(n int) (*platform.Plan, platform.Switch) {
	r.Sw.T.Helper()
	l := r.Layout(n)
	pr, err := r.Restorer(l, r.Sw.Records(n, r.Name))
	if err != nil {
		r.Sw.T.Fatal(err)
	}
	p := r.Sw.Plan(pr)
	return p, RollbackTo(p, l.Current, n)
}

// Switch plans cfg and applies it; it must succeed.
func (r *Rig[C]) Switch(cfg C) *platform.Plan {
	r.Sw.T.Helper()
	p, sw := r.Plan(cfg)
	r.Sw.MustApply(sw)
	return p
}

// Rollback rolls back to generation n; it must succeed.
func (r *Rig[C]) Rollback(n int) *platform.Plan {
	r.Sw.T.Helper()
	p, sw := r.PlanRollback(n)
	r.Sw.MustApply(sw)
	return p
}

// WantEmptyPlan checks that cfg needs no change.
func (r *Rig[C]) WantEmptyPlan(cfg C) {
	r.Sw.T.Helper()
	if p, _ := r.Plan(cfg); !p.Empty() {
		r.Sw.T.Errorf("the plan after the switch is not empty:\n%s", r.Text(p))
	}
}
