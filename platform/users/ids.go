package users

import "sort"

// idPool hands out free user or group IDs the way useradd does: the
// highest ID in use in [min, max] plus one, else the lowest free one.
type idPool struct {
	min, max int
	used     map[int]bool
}

func newPool(min, max int) *idPool { return &idPool{min: min, max: max, used: map[int]bool{}} }

func (p *idPool) use(id int) { p.used[id] = true }

func (p *idPool) free(id int) bool { return id >= 0 && !p.used[id] }

// take returns pref when it is free (pref < 0: none), else a new ID; ok
// is false when the range is full.
func (p *idPool) take(pref int) (int, bool) {
	if pref >= 0 && p.free(pref) {
		p.use(pref)
		return pref, true
	}
	high := p.min - 1
	for id := range p.used {
		if id >= p.min && id <= p.max && id > high {
			high = id
		}
	}
	if high < p.max {
		p.use(high + 1)
		return high + 1, true
	}
	for id := p.min; id <= p.max; id++ {
		if !p.used[id] {
			p.use(id)
			return id, true
		}
	}
	return 0, false
}

// first returns pref when it is free and in [min, max] (pref < 0: none),
// else the lowest free ID from min (macOS's way); ok is false when the
// range is full.
func (p *idPool) first(pref int) (int, bool) {
	if pref >= p.min && pref <= p.max && p.free(pref) {
		p.use(pref)
		return pref, true
	}
	for id := p.min; id <= p.max; id++ {
		if !p.used[id] {
			p.use(id)
			return id, true
		}
	}
	return 0, false
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
