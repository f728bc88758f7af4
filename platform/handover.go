package platform

// Facts flow forward, in plan order: the files provider (rank 50) tells
// systemd (60) which of its paths it releases, and a unit that was an
// environment.etc file is made in one switch. The other way, a unit
// that becomes an environment.etc file (or a user unit that becomes a
// home file), the files provider plans first: it meets the unit's file,
// which it did not make, and reports it in the way (or adopts it, same
// content, while systemd removes it). So when a provider releases a
// path that an earlier provider met, MakePlan plans again from that
// earlier provider, with the path in every FactsReader's Released: the
// earlier provider takes the path as empty and makes its file after the
// release. This costs a second plan of those providers only in the
// switch that hands a path over (and a third if, planned again, another
// path is met; at most one more plan per provider).

// A PathRecords is a provider's records that can tell whether they hold
// a machine path: the files a plan adopts or replaces are recorded,
// even when nothing of them changes.
type PathRecords interface {
	RecordsPath(path string) bool
}

// handedOver finds the first Facts reader that met a path that a
// provider after it releases, and that is not handed over already
// (done): a conflict at the path, or the path in its records. It
// returns its index and the paths to release to it (nil: none).
func handedOver(providers []Provider, parts []*Part, done map[string]string) (from int, later map[string]string) {
	for i, part := range parts {
		if _, reads := providers[i].(FactsReader); !reads {
			continue
		}
		recs, _ := part.Records.(PathRecords)
		for _, after := range parts[i+1:] {
			if after.Facts == nil {
				continue
			}
			for p, id := range after.Facts.Released {
				if _, handed := done[p]; !handed && metPath(part, recs, p) {
					if later == nil {
						later = map[string]string{}
					}
					later[p] = id
				}
			}
		}
		if later != nil {
			return i, later
		}
	}
	return 0, nil
}

// metPath reports whether part met machine path p: a conflict there,
// or p in its records.
func metPath(part *Part, recs PathRecords, p string) bool {
	for _, c := range part.Conflicts {
		if c.Path == p {
			return true
		}
	}
	return recs != nil && recs.RecordsPath(p)
}

// stillReleased reports whether the parts planned again release each
// of later's paths with the same change: else a file would be made
// where something stays, and the first plan (with its conflict) holds.
func stillReleased(parts []*Part, later map[string]string) bool {
	for p, id := range later {
		found := false
		for _, part := range parts {
			if part.Facts != nil && part.Facts.Released[p] == id {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
