package providertest

import (
	"context"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// GenerationTime is when the generations a Switcher writes were made,
// unless its Now says otherwise: fixed, so that what a test reads back
// does not depend on the clock.
var GenerationTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// A Switcher switches a machine from generation to generation as gocfg
// switch and rollback do: it plans providers against the records of the
// current generation (platform.MakePlan) and applies the plan with the
// engine (platform.Engine), writing a new generation into Store or making
// an existing one current again.
//
// It stops the test (T.Fatal) when something it needs fails (reading the
// store, encoding records); what the switch itself returns goes back to
// the caller.
type Switcher struct {
	T testing.TB
	// Sys is the system the engine applies the ops with.
	Sys system.System
	// Store holds the generations.
	Store *generations.Store
	// Host names the machine in the generations' metadata.
	Host string
	// Now, when set, stamps the generations written (else GenerationTime).
	Now func() time.Time
	// NoConflicts makes Apply stop the test on a plan with conflicts.
	NoConflicts bool
}

// Current is the current generation (0: none).
func (s *Switcher) Current() int {
	s.T.Helper()
	return s.number(s.Store.Current())
}

// Next is the number the next generation will have.
func (s *Switcher) Next() int {
	s.T.Helper()
	return s.number(s.Store.Next())
}

// number is a generation number the store answered: the test stops on
// its error.
func (s *Switcher) number(n int, err error) int {
	s.T.Helper()
	if err != nil {
		s.T.Fatal(err)
	}
	return n
}

// Applied reads the records of generation n (none for 0).
func (s *Switcher) Applied(n int) platform.Applied {
	s.T.Helper()
	if n == 0 {
		return platform.Applied{}
	}
	data, err := s.Store.ReadFile(n, "resources.json")
	if err != nil {
		s.T.Fatal(err)
	}
	a, err := platform.DecodeApplied(data)
	if err != nil {
		s.T.Fatal(err)
	}
	return a
}

// Records are the records provider name keeps in generation n (nil when
// it keeps none there), as a rollback to n reads them.
func (s *Switcher) Records(n int, name string) json.RawMessage {
	s.T.Helper()
	return s.Applied(n)[name]
}

// MakePlan plans the providers against the current generation's records.
func (s *Switcher) MakePlan(providers ...platform.Provider) (*platform.Plan, error) {
	s.T.Helper()
	return platform.MakePlan(context.Background(), s.Applied(s.Current()), providers...)
}

// Plan is MakePlan for plans that must be made.
func (s *Switcher) Plan(providers ...platform.Provider) *platform.Plan {
	s.T.Helper()
	p, err := s.MakePlan(providers...)
	if err != nil {
		s.T.Fatal(err)
	}
	return p
}

// Generation is the generation n that gocfg switch writes for plan p.
func (s *Switcher) Generation(p *platform.Plan, n int) *generations.NewGeneration {
	s.T.Helper()
	res, err := p.EncodeRecords()
	if err != nil {
		s.T.Fatal(err)
	}
	at := GenerationTime
	if s.Now != nil {
		at = s.Now()
	}
	return &generations.NewGeneration{
		Meta:   generations.Meta{Number: n, Time: at, Version: "test", Host: s.Host, Summary: p.Summary(), Command: "switch"},
		Config: []byte("{}"), Resources: res, Files: p.Contents(), Areas: p.Areas,
	}
}

// SwitchTo is the switch from generation from that writes plan p as the
// new generation to.
func (s *Switcher) SwitchTo(p *platform.Plan, from, to int) platform.Switch {
	s.T.Helper()
	return platform.Switch{From: from, To: to, Generation: s.Generation(p, to), Plan: p, Command: "switch"}
}

// SwitchNext is the switch that writes plan p as the next generation,
// from the current one.
func (s *Switcher) SwitchNext(p *platform.Plan) platform.Switch {
	s.T.Helper()
	return s.SwitchTo(p, s.Current(), s.Next())
}

// RollbackTo is the switch from generation from back to generation n,
// which exists already: plan p made it what n recorded.
func RollbackTo(p *platform.Plan, from, n int) platform.Switch {
	return platform.Switch{From: from, To: n, Plan: p, Command: "rollback"}
}

// Rollback is the switch from the current generation back to n (see
// RollbackTo).
func (s *Switcher) Rollback(p *platform.Plan, n int) platform.Switch {
	s.T.Helper()
	return RollbackTo(p, s.Current(), n)
}

// SwitchFor is the switch that applies plan p from the current
// generation: a rollback to generation rollbackTo when it is above 0,
// else a switch that writes the next generation.
func (s *Switcher) SwitchFor(p *platform.Plan, rollbackTo int) platform.Switch {
	s.T.Helper()
	if rollbackTo > 0 {
		return s.Rollback(p, rollbackTo)
	}
	return s.SwitchNext(p)
}

// Engine is the engine that applies the switches.
func (s *Switcher) Engine() *platform.Engine {
	return &platform.Engine{Sys: s.Sys, Store: s.Store}
}

// Run applies sw with a new Engine and returns what it says.
func (s *Switcher) Run(sw platform.Switch) (*platform.Result, error) {
	return s.Engine().Switch(context.Background(), sw)
}

// Apply applies sw; a switch that succeeds must report no problems (the
// test stops if it does), and with s.NoConflicts its plan must have no
// conflicts. Its error is returned.
func (s *Switcher) Apply(sw platform.Switch) error {
	s.T.Helper()
	if s.NoConflicts {
		NoConflicts(s.T, sw.Plan)
	}
	res, err := s.Run(sw)
	if err != nil {
		return err
	}
	NoProblems(s.T, res)
	return nil
}

// MustApply is Apply for a switch that must succeed: the test stops on
// its error.
func (s *Switcher) MustApply(sw platform.Switch) {
	s.T.Helper()
	if err := s.Apply(sw); err != nil {
		s.T.Fatalf("%s: %v", sw.Command, err)
	}
}

// KillAt runs sw with eng and stops it at point (one of the points the
// engine passes to its Fault hook: "journal-written", "op-3", "applied",
// ...), as a kill would: eng.Fault panics there and KillAt recovers. The
// test stops if the switch ends without reaching point, or panics with
// anything else.
func KillAt(t testing.TB, eng *platform.Engine, sw platform.Switch, point string) {
	t.Helper()
	type killed struct{ point string }
	var seen []string
	eng.Fault = func(p string) {
		seen = append(seen, p)
		if p == point {
			panic(killed{p})
		}
	}
	defer func() {
		t.Helper()
		// nil: the switch returned, which is reported below.
		if r := recover(); r != nil && r != (killed{point}) {
			t.Fatalf("the %s did not stop at %s: %v (points seen: %q)", sw.Command, point, r, seen)
		}
	}()
	_, err := eng.Switch(context.Background(), sw)
	t.Fatalf("the %s returned (%v) without reaching %s; points seen: %q", sw.Command, err, point, seen)
}

// WantUndone recovers with eng from a switch KillAt stopped, and stops
// the test unless the recovery undid that switch.
func WantUndone(t testing.TB, eng *platform.Engine) {
	t.Helper()
	if rec, err := eng.Recover(t.Context()); err != nil || rec == nil || rec.Finished {
		t.Fatalf("Recover: %+v, %v; want the switch undone", rec, err)
	}
}

// NoConflicts stops the test if plan p has conflicts.
func NoConflicts(t testing.TB, p *platform.Plan) {
	t.Helper()
	if len(p.Conflicts) > 0 {
		t.Fatalf("conflicts: %+v", p.Conflicts)
	}
}

// NoProblems stops the test if a switch reported problems after its flip.
func NoProblems(t testing.TB, res *platform.Result) {
	t.Helper()
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
}
