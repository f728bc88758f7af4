package main

import (
	"fmt"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/internal/buildinfo"
	"github.com/gocfg/gocfg/platform"
)

// rerecordedGeneration is the generation a rollback to generation to
// records when that one cannot be made current again as it was recorded
// (plan.Rerecorded: an account created again with another ID than the
// recorded one, which is taken), or when it holds a user's home
// (plan.Holders): that home's records and files are then the current
// generation's, cur (plan.HeldRoots). It is generation to's configuration
// and files tree (the same store objects), with the records of what the
// rollback applies, numbered after the newest generation; its meta.json
// says "rollback" and keeps generation to's host, source and commit.
//
// Why not make generation to current with records that are no longer
// true: gocfg decides what it may delete from the current generation's
// records. An account recorded with an ID it no longer has looks changed
// by hand, and gocfg would never delete it, although it made it.
func (m *machine) rerecordedGeneration(env *Env, to int, target platform.Applied, plan *platform.Plan, cur int) (*generations.NewGeneration, error) {
	meta, err := m.store.Meta(to)
	if err != nil {
		return nil, m.damagedGeneration(err, to)
	}
	config, err := m.store.ReadFile(to, "config.json")
	if err != nil {
		return nil, fmt.Errorf("generation %d: %w", to, err)
	}
	resources, err := plan.EncodeRerecorded(target)
	if err != nil {
		return nil, err
	}
	next, err := m.store.Next()
	if err != nil {
		return nil, err
	}
	meta.Number, meta.Time, meta.Version = next, env.Now().UTC(), buildinfo.Version()
	meta.Summary, meta.Command, meta.RollbackOf, meta.Held = plan.Summary(), "rollback", to, heldUsers(plan)
	g := &generations.NewGeneration{Meta: meta, Config: config, Resources: resources, FilesOf: to}
	// Roots generation to lacks: each user's secrets apart, where it kept
	// them in one (platform.Part.AddedRoots; tester AV).
	if g.Files = plan.AddedRoots(); len(g.Files) > 0 {
		g.Areas = map[string]generations.Area{}
		for _, e := range g.Files {
			g.Areas[e.Root] = plan.Areas[e.Root]
		}
	}
	for _, root := range plan.HeldRoots {
		if g.RootsFrom == nil {
			g.RootsFrom = map[string]int{}
		}
		g.RootsFrom[root] = cur
	}
	return g, nil
}
