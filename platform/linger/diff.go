package linger

import (
	"maps"
	"slices"
	"strconv"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register(name, recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists the users whose lingering gocfg sets differently from a to
// b.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	all := map[string]bool{}
	for _, r := range []*Records{a, b} {
		if r != nil {
			for u := range r.Users {
				all[u] = true
			}
		}
	}
	value := func(r *Records, u string) *string {
		if r == nil {
			return nil
		}
		rec, ok := r.Users[u]
		if !ok {
			return nil
		}
		s := strconv.FormatBool(rec.Linger)
		return &s
	}
	for _, u := range slices.Sorted(maps.Keys(all)) {
		cs = recdiff.OneValue(cs, ID(u), "user", value(a, u), value(b, u))
	}
	return cs
}
