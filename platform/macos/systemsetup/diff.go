package systemsetup

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("systemsetup", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists the settings one generation manages and the other does not,
// or sets differently.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	for _, key := range keys {
		ra, rb := a.get(key), b.get(key)
		id := SettingID(key)
		switch {
		case ra == nil && rb == nil:
		case ra == nil:
			cs = append(cs, recdiff.Created(id, kind, recdiff.Value("", "", rb.Value)))
		case rb == nil:
			cs = append(cs, recdiff.Deleted(id, kind, recdiff.Value("", ra.Value, "")))
		case ra.Value != rb.Value:
			cs = recdiff.Updated(cs, id, kind, recdiff.Fields{recdiff.Value("", ra.Value, rb.Value)})
		}
	}
	return cs
}
