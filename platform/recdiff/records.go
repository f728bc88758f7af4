package recdiff

import (
	"maps"
	"slices"
	"strconv"
)

// A Kind says how Records compares the records of one kind of resource.
type Kind[R any] struct {
	// Name is the Changes' kind ("unit").
	Name string
	// ID is a record's resource ID, which matches the records of the two
	// generations.
	ID func(R) string
	// Describe is a created or deleted record, in one line.
	Describe func(R) string
	// Fields lists what differs between the records of a resource both
	// generations have.
	Fields func(old, new R) Fields
}

// Records appends to cs the changes from the records a to those b: a
// resource only b records is created, one both record updated where k's
// Fields differ, one only a records deleted; in b's order, then a's.
func Records[R any](cs []Change, a, b []R, k Kind[R]) []Change {
	before := make(map[string]R, len(a))
	for _, r := range a {
		before[k.ID(r)] = r
	}
	for _, r := range b {
		id := k.ID(r)
		old, ok := before[id]
		delete(before, id)
		if !ok {
			cs = append(cs, Created(id, k.Name, Value("", "", k.Describe(r))))
			continue
		}
		cs = Updated(cs, id, k.Name, k.Fields(old, r))
	}
	for _, r := range a {
		if _, gone := before[k.ID(r)]; gone {
			cs = append(cs, Deleted(k.ID(r), k.Name, Value("", k.Describe(r), "")))
		}
	}
	return cs
}

// Owner shows a recorded file owner: "uid:gid", or "(left alone)" when
// both are -1 (gocfg does not set it).
func Owner(uid, gid int) string {
	if uid < 0 && gid < 0 {
		return "(left alone)"
	}
	return strconv.Itoa(uid) + ":" + strconv.Itoa(gid)
}

// A Stored is a file a generation stored, by its place in the files
// tree and the content hash its records name.
type Stored struct {
	Root, Rel, Hash string
}

// Settings compares two versions of a stored file (a through ca, b
// through cb) setting by setting, as settings reads them (setting name →
// value text; false: not parsed): the settings that differ, sorted by
// name, a missing one shown as None. Nothing differs when the hashes are
// the same. When either cannot be read (see Read) or parsed, it is the
// content hashes; when no setting differs (layout or comments only), the
// hashes marked "(same settings)".
func Settings(ca, cb Content, a, b Stored, settings func([]byte) (map[string]string, bool)) Fields {
	if a.Hash == b.Hash {
		return nil
	}
	byHash := Fields{NewField("content", Short(a.Hash), Short(b.Hash))}
	va, ok := stored(ca, a, settings)
	if !ok {
		return byHash
	}
	vb, ok := stored(cb, b, settings)
	if !ok {
		return byHash
	}
	// The settings either side has, once each, sorted.
	names := slices.AppendSeq(slices.Collect(maps.Keys(va)), maps.Keys(vb))
	slices.Sort(names)
	names = slices.Compact(names)
	var fs Fields
	for _, n := range names {
		fs.Add(n, orNone(va[n]), orNone(vb[n]))
	}
	if len(fs) == 0 {
		return Fields{NewField("content", Short(a.Hash), Short(b.Hash)+" (same settings)")}
	}
	return fs
}

func stored(c Content, s Stored, settings func([]byte) (map[string]string, bool)) (map[string]string, bool) {
	data, ok := Read(c, s.Root, s.Rel, s.Hash)
	if !ok {
		return nil, false
	}
	return settings(data)
}

// Values appends to cs the changes of resources that are one value each,
// keyed in maps a and b (a user's lingering, her password file): by key,
// sorted, the resource id(key) of kind, shown with show; a key only one
// map has is created or deleted (OneValue).
func Values[V any](cs []Change, kind string, id func(string) string, a, b map[string]V, show func(V) string) []Change {
	keys := maps.Clone(a)
	if keys == nil {
		keys = map[string]V{}
	}
	maps.Copy(keys, b)
	value := func(m map[string]V, k string) *string {
		v, ok := m[k]
		if !ok {
			return nil
		}
		s := show(v)
		return &s
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		cs = OneValue(cs, id(k), kind, value(a, k), value(b, k))
	}
	return cs
}
