package prefs

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("defaults", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the preference keys a records to those b
// records: a key one generation manages and the other does not, or
// writes a different value to (defaults:alice:com.apple.dock:autohide
// false → true). A value whose key or content looks secret is hidden
// (recdiff.LooksSecret).
func Diff(a, b *Records) []recdiff.Change {
	before := make(map[string]KeyRecord, len(a.Keys))
	for _, r := range a.Keys {
		before[r.ID()] = r
	}
	var cs []recdiff.Change
	for _, r := range b.Keys {
		id := r.ID()
		old, ok := before[id]
		delete(before, id)
		switch {
		case !ok:
			cs = append(cs, recdiff.Created(id, "defaults", shown(r.Key, nil, &r.Value)))
		case !Equal(old.Value.V, r.Value.V):
			cs = recdiff.Updated(cs, id, "defaults", recdiff.Fields{shown(r.Key, &old.Value, &r.Value)})
		}
	}
	for _, r := range a.Keys {
		if _, gone := before[r.ID()]; gone {
			cs = append(cs, recdiff.Deleted(r.ID(), "defaults", shown(r.Key, &r.Value, nil)))
		}
	}
	return cs
}

// shown is a key's value before → after (nil: none), hidden when the
// key's name looks secret, or each value that looks secret whole (Show
// may cut a value short of what gives it away).
func shown(key string, before, after *Value) recdiff.Field {
	var b, a string
	if before != nil {
		b = Show(before.V)
	}
	if after != nil {
		a = Show(after.V)
	}
	f := recdiff.Value(key, b, a)
	if before != nil && recdiff.LooksSecret("", show(Normalize(before.V))) {
		f.Sensitive, f.Before = true, recdiff.Hidden
	}
	if after != nil && recdiff.LooksSecret("", show(Normalize(after.V))) {
		f.Sensitive, f.After = true, recdiff.Hidden
	}
	return f
}
