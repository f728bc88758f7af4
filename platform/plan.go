package platform

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform/internal/longjson"
)

// A Provider plans one family of resources (files, units, preferences).
// It knows its desired resources from the start (built from the
// configuration, or read back from a generation for rollback and status).
type Provider interface {
	// Name keys the provider's records in resources.json ("files").
	Name() string
	// Plan compares desired, applied (the provider's records in the
	// current generation; nil when there is none) and the live machine.
	Plan(ctx context.Context, applied json.RawMessage) (*Part, error)
}

// A Part is one provider's share of a plan. MakePlan takes its slices
// over: the provider does not use them once it returned the Part.
type Part struct {
	Changes   []Change
	Warnings  []string
	Notes     []string
	Conflicts []Conflict
	// Records are what the new generation keeps for this provider (any
	// value encoding/json can write).
	Records any
	// Contents lists the files stored in the new generation's files tree;
	// called only when a generation is written (nil: none).
	Contents func() []generations.Entry
	// Areas maps each files root of Contents (and of AddedRoots) to its
	// store area.
	Areas map[string]generations.Area
	// AddedRoots lists, for a rollback that records a new generation of
	// its target's files tree (generations.NewGeneration.FilesOf), the
	// files of roots the target lacks that the new generation gets
	// beside them (nil: none): the secrets provider gives each user's
	// secrets a root of her own there when the target kept them all in
	// one (a generation made before per-user roots; tester AV).
	AddedRoots func() []generations.Entry
	// Facts, when set, is what the providers after this one plan with
	// (see FactsReader).
	Facts *Facts
	// Rerecorded, from a provider planning from a generation's records
	// (a rollback), says why the Records it returns differ from that
	// generation's in what they say of the machine: an account created
	// again with another ID than the recorded one, which is taken. A
	// rollback with such a part records a new generation instead of
	// making that one current again (see Plan.EncodeRerecorded). Empty:
	// the generation's records still hold.
	Rerecorded []string
	// Held are the changes of the homes this part holds (a user's files
	// left as they are for a conflict): not applied, shown so that whoever
	// deals with the conflicts sees what waits behind them.
	Held []Change
	// HeldRoots are the files roots ("home/alice") whose records and
	// contents the part carries from the current generation, their home
	// held (the files provider's).
	HeldRoots []string
}

// A Plan is every change a switch would make, in apply order.
type Plan struct {
	Changes   []Change
	Warnings  []string
	Notes     []string
	Conflicts []Conflict
	// Records holds each provider's records, for resources.json.
	Records map[string]any
	Areas   map[string]generations.Area
	// Rerecorded maps the name of each provider whose part was
	// Rerecorded to why (nil: none).
	Rerecorded map[string][]string
	// Held are the parts' Held changes: waiting, not applied.
	Held []Change
	// HeldRoots are the parts' HeldRoots; Holders, the providers whose
	// part holds something of a home (held changes or conflicts, or
	// HeldRoots) or adds roots (AddedRoots): their records are not the
	// ones the plan was made from, which a rollback records
	// (Plan.EncodeRerecorded).
	HeldRoots []string
	Holders   []string

	contents   []func() []generations.Entry
	addedRoots []func() []generations.Entry
}

// AddedRoots lists every provider's Part.AddedRoots.
func (p *Plan) AddedRoots() []generations.Entry {
	var es []generations.Entry
	for _, c := range p.addedRoots {
		es = append(es, c()...)
	}
	return es
}

// Contents lists every provider's stored files (computed on demand: a
// plan that writes no generation never needs them).
func (p *Plan) Contents() []generations.Entry {
	var es []generations.Entry
	for _, c := range p.contents {
		if es == nil {
			es = c() // the usual single provider's, not copied
		} else {
			es = append(es, c()...)
		}
	}
	return es
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 }

// Shown returns the changes a plan lists (not the Hidden machinery).
func (p *Plan) Shown() []Change {
	var cs []Change
	for _, c := range p.Changes {
		if !c.Hidden {
			cs = append(cs, c)
		}
	}
	return cs
}

// Summary counts the changes as the plan's last line shows them.
func (p *Plan) Summary() generations.Summary {
	var s generations.Summary
	for i := range p.Changes {
		// Not through Shown: a copy of each of 11,000 changes to count
		// them, for a first switch of 10,000 dotfiles.
		c := &p.Changes[i]
		if c.Hidden {
			continue
		}
		switch c.Action {
		case Create:
			s.Add++
		case Update:
			s.Change++
		case Delete, Restore:
			s.Remove++
		}
	}
	return s
}

// Applied is what the current generation recorded, per provider.
type Applied map[string]json.RawMessage

// DecodeApplied reads resources.json: see DecodeAppliedFile.
func DecodeApplied(data []byte) (Applied, error) { return DecodeAppliedFile("resources.json", data) }

const resourcesVersion = 1

// resourcesDoc is resources.json.
type resourcesDoc struct {
	Version int            `json:"version"`
	Records map[string]any `json:"records"`
}

// EncodeRecords writes resources.json for the plan's records, as
// json.Marshal does; the longest list of a provider's LongRecords (the
// files provider's) a part at a time, into one buffer (see longjson).
func (p *Plan) EncodeRecords() ([]byte, error) {
	whole := resourcesDoc{resourcesVersion, p.Records}
	var name string
	var long LongRecords
	for _, n := range slices.Sorted(maps.Keys(p.Records)) { // of two as long, the first by name
		if l, ok := p.Records[n].(LongRecords); ok && (long == nil || l.ListLen() > long.ListLen()) {
			name, long = n, l
		}
	}
	if long == nil {
		return json.Marshal(whole)
	}
	without := func(empty bool) resourcesDoc {
		recs := maps.Clone(p.Records)
		recs[name] = long.WithoutList(empty)
		return resourcesDoc{resourcesVersion, recs}
	}
	return longjson.Marshal(longjson.Doc{Whole: whole, Nil: without(false), Empty: without(true), Len: long.ListLen(), Part: long.ListPart})
}

// MakePlan runs every provider, in the order given, and orders the
// changes for apply. Each provider that reads Facts gets those of the
// providers before it (Facts.Accounts nil: the machine's own). A
// provider's error does not stop the others, so that a user sees every
// error of the configuration at once, as Terraform's plan shows them
// (the errors joined, in the providers' order), except the providers
// that read Facts: after an error their facts may be incomplete, and
// what they found would follow from it. Facts flow forward; a path a
// provider releases that an earlier one met in its plan is handed back
// by planning again (handover.go). In tests, a dependency on no change
// of the plan that is not one of OptionalDeps is an error (see
// UnknownDeps).
func MakePlan(ctx context.Context, applied Applied, providers ...Provider) (*Plan, error) {
	parts, err := planParts(ctx, applied, providers, nil, nil)
	if err != nil {
		return nil, err
	}
	// handover.go: plan again from the provider that met a later one's
	// file, with that file's path released; at most once per provider.
	later := map[string]string{}
	for range providers {
		from, more := handedOver(providers, parts, later)
		if more == nil {
			break
		}
		with := union(later, more)
		again, err := planParts(ctx, applied, providers, parts[:from], with)
		if err != nil {
			return nil, err
		}
		if !stillReleased(again, with) {
			break
		}
		parts, later = again, with
	}
	p := &Plan{Records: map[string]any{}, Areas: map[string]generations.Area{}}
	for i, part := range parts {
		p.add(providers[i].Name(), part)
	}
	if testing.Testing() {
		if u := UnknownDeps(p.Changes); len(u) > 0 {
			return nil, fmt.Errorf("dependencies on no change of the plan: %s", strings.Join(u, ", "))
		}
	}
	ordered, err := order(p.Changes)
	if err != nil {
		return nil, err
	}
	p.Changes = ordered
	return p, nil
}

// planParts runs the providers after those whose parts are kept, each
// with the facts of the parts before it, and returns every provider's
// part (kept ones first). later are paths that a provider after the
// one planning releases (handover.go): they are in every Facts reader's
// Released, as an earlier provider's are.
func planParts(ctx context.Context, applied Applied, providers []Provider, kept []*Part, later map[string]string) ([]*Part, error) {
	parts := append(make([]*Part, 0, len(providers)), kept...)
	var facts Facts
	for _, part := range kept {
		facts = facts.merge(part.Facts)
	}
	var errs []error
	for _, pr := range providers[len(kept):] {
		fr, reads := pr.(FactsReader)
		if reads && len(errs) > 0 {
			// The facts may lack those of the provider that failed:
			// what this one found would follow from that error.
			continue
		}
		var part *Part
		var err error
		if reads {
			with := facts
			if len(later) > 0 {
				with.Released = union(facts.Released, later)
			}
			part, err = fr.PlanWith(ctx, applied[pr.Name()], with)
		} else {
			part, err = pr.Plan(ctx, applied[pr.Name()])
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			errs = append(errs, err)
			continue
		}
		if len(errs) > 0 {
			continue
		}
		parts = append(parts, part)
		facts = facts.merge(part.Facts)
	}
	if len(errs) > 0 {
		return nil, JoinErrors(errs)
	}
	return parts, nil
}

// add puts a provider's part in the plan.
func (p *Plan) add(name string, part *Part) {
	if len(p.Changes) == 0 {
		// The first provider with changes hands its slice over
		// (10,000 dotfiles: 11,102 changes of 200 bytes, copied
		// otherwise); a provider does not use its Part again.
		p.Changes = part.Changes
	} else {
		p.Changes = append(p.Changes, part.Changes...)
	}
	p.Warnings = append(p.Warnings, part.Warnings...)
	p.Notes = append(p.Notes, part.Notes...)
	p.Conflicts = append(p.Conflicts, part.Conflicts...)
	p.Held = append(p.Held, part.Held...)
	p.HeldRoots = append(p.HeldRoots, part.HeldRoots...)
	// A part that holds, or that adds roots to the generation a
	// rollback records, has records of its own for it.
	if len(part.Held) > 0 || len(part.HeldRoots) > 0 || part.AddedRoots != nil || slices.ContainsFunc(part.Conflicts, func(c Conflict) bool { return c.Held }) {
		p.Holders = append(p.Holders, name)
	}
	p.Records[name] = part.Records
	if part.Contents != nil {
		p.contents = append(p.contents, part.Contents)
	}
	if part.AddedRoots != nil {
		p.addedRoots = append(p.addedRoots, part.AddedRoots)
	}
	for k, v := range part.Areas {
		p.Areas[k] = v
	}
	if len(part.Rerecorded) > 0 {
		if p.Rerecorded == nil {
			p.Rerecorded = map[string][]string{}
		}
		p.Rerecorded[name] = part.Rerecorded
	}
}
