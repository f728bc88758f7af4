package unitstate

import (
	"sort"
	"strconv"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register("unitstate", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the units a records to those b records:
// enable, wanted_by and the state put back when the entry goes.
func Diff(a, b *Records) []recdiff.Change {
	var names []string
	for n := range a.Units {
		names = append(names, n)
	}
	for n := range b.Units {
		if _, ok := a.Units[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var cs []recdiff.Change
	for _, n := range names {
		ra, rb := a.Units[n], b.Units[n]
		switch {
		case ra == nil:
			cs = append(cs, recdiff.Created(UnitID(n), kind, recdiff.Value("", "", summary(rb))))
		case rb == nil:
			cs = append(cs, recdiff.Deleted(UnitID(n), kind, recdiff.Value("", summary(ra), "")))
		default:
			var fs recdiff.Fields
			fs.Add("enable", strconv.FormatBool(ra.Enable), strconv.FormatBool(rb.Enable))
			fs.Add("wanted_by", wantedBy(ra), wantedBy(rb))
			fs.Add("original", describe(ra.Original, false), describe(rb.Original, false))
			cs = recdiff.Updated(cs, UnitID(n), kind, fs)
		}
	}
	return cs
}

func wantedBy(r *Record) string {
	if r.WantedBy == nil {
		return "[Install]"
	}
	return recdiff.List(r.WantedBy)
}

// summary is a managed unit in one line.
func summary(r *Record) string {
	s := "disable"
	if r.Enable {
		s = "enable"
		if r.WantedBy != nil {
			s += " (wanted by " + recdiff.List(r.WantedBy) + ")"
		}
	}
	return s + "; before: " + describe(r.Original, false)
}
