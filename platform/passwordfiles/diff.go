package passwordfiles

import (
	"maps"
	"slices"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register(name, recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists the users whose password file differs from a to b (the
// paths; no hash).
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	if a == nil {
		a = &Records{}
	}
	if b == nil {
		b = &Records{}
	}
	for _, u := range slices.Sorted(maps.Keys(union(a.Files, b.Files))) {
		pa, inA := a.Files[u]
		pb, inB := b.Files[u]
		switch {
		case !inA:
			cs = append(cs, recdiff.Created(ID(u), "user", recdiff.Field{Name: "hashed_password_file", After: pb}))
		case !inB:
			cs = append(cs, recdiff.Deleted(ID(u), "user", recdiff.Field{Name: "hashed_password_file", Before: pa}))
		case pa != pb:
			cs = recdiff.Updated(cs, ID(u), "user", recdiff.Fields{{Name: "hashed_password_file", Before: pa, After: pb}})
		}
	}
	return cs
}

func union(a, b map[string]string) map[string]string {
	m := maps.Clone(a)
	if m == nil {
		m = map[string]string{}
	}
	maps.Copy(m, b)
	return m
}
