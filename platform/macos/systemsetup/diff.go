package systemsetup

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("systemsetup", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists the settings one generation manages and the other does not,
// or sets differently.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	for _, key := range keys {
		cs = recdiff.OneValue(cs, SettingID(key), kind, a.get(key).value(), b.get(key).value())
	}
	return cs
}

// value is the value r records (nil: not managed).
func (r *Record) value() *string {
	if r == nil {
		return nil
	}
	return &r.Value
}
