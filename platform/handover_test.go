package platform

import (
	"context"
	"slices"
	"testing"

	json "github.com/goccy/go-json"
)

// takerProvider is an earlier provider (files) that wants path: in the
// way (a conflict), adopted (in its records), or, once a later
// provider releases it, made after that release.
type takerProvider struct {
	path  string
	adopt bool
	got   *[]map[string]string
}

type pathRecords []string

func (r pathRecords) RecordsPath(p string) bool { return slices.Contains(r, p) }

func (t takerProvider) Name() string { return "taker" }
func (t takerProvider) Plan(context.Context, json.RawMessage) (*Part, error) {
	panic("a FactsReader is planned with PlanWith")
}
func (t takerProvider) PlanWith(_ context.Context, _ json.RawMessage, f Facts) (*Part, error) {
	*t.got = append(*t.got, f.Released)
	if by, ok := f.Released[t.path]; ok {
		return &Part{Records: pathRecords{t.path}, Changes: []Change{ch("file:"+t.path, Create, by)}}, nil
	}
	if t.adopt {
		return &Part{Records: pathRecords{t.path}}, nil
	}
	return &Part{Conflicts: []Conflict{{ID: "file:" + t.path, Path: t.path, Problem: "a file is in the way"}}}, nil
}

// giverProvider is a later provider (systemd) that removes its file at
// path, and releases it while release says so (planned again, it may
// find otherwise: a file changed by hand in between).
type giverProvider struct {
	path    string
	release []bool
	calls   *int
}

func (g giverProvider) Name() string { return "giver" }
func (g giverProvider) Plan(context.Context, json.RawMessage) (*Part, error) {
	panic("a FactsReader is planned with PlanWith")
}
func (g giverProvider) PlanWith(context.Context, json.RawMessage, Facts) (*Part, error) {
	n := *g.calls
	*g.calls++
	part := &Part{Changes: []Change{ch("unit:foo", Delete)}}
	if g.release[n] {
		part.Release(g.path, "unit:foo")
	}
	return part, nil
}

// TestHandOver: a path a later provider releases that an earlier one
// met (in the way, or adopted) is planned again by the earlier one,
// released, and made after the release; not when the release does not
// hold when planned again, nor when nobody met the path.
func TestHandOver(t *testing.T) {
	const p = "/etc/systemd/system/foo.service"
	for _, tc := range []struct {
		name      string
		adopt     bool
		taker     string // the path the earlier provider wants
		release   []bool
		plans     int // how many times the earlier provider planned
		conflicts int
		wantDep   bool
	}{
		{name: "in the way", taker: p, release: []bool{true, true}, plans: 2, wantDep: true},
		{name: "adopted", adopt: true, taker: p, release: []bool{true, true}, plans: 2, wantDep: true},
		{name: "not released", taker: p, release: []bool{false}, plans: 1, conflicts: 1},
		{name: "released no more when planned again", taker: p, release: []bool{true, false}, plans: 2, conflicts: 1},
		{name: "another path", taker: "/etc/other", release: []bool{true}, plans: 1, conflicts: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []map[string]string
			calls := 0
			plan, err := MakePlan(t.Context(), Applied{},
				takerProvider{path: tc.taker, adopt: tc.adopt, got: &got},
				giverProvider{path: p, release: tc.release, calls: &calls})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.plans {
				t.Fatalf("the earlier provider planned %d times, want %d", len(got), tc.plans)
			}
			if tc.plans == 2 && got[1][p] != "unit:foo" {
				t.Errorf("planned again with Released %v, want %s released by unit:foo", got[1], p)
			}
			if len(plan.Conflicts) != tc.conflicts {
				t.Errorf("conflicts = %v, want %d", plan.Conflicts, tc.conflicts)
			}
			ids := make([]string, len(plan.Changes))
			for i, c := range plan.Changes {
				ids[i] = c.ID
			}
			if tc.wantDep && !slices.Equal(ids, []string{"unit:foo", "file:" + p}) {
				t.Errorf("changes in apply order = %q, want the release first", ids)
			}
		})
	}
}
