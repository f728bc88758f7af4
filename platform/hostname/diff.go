package hostname

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("hostname", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the host name a records to the one b
// records: the name gocfg set, when one generation manages it and the
// other does not or they set different names.
func Diff(a, b *Records) []recdiff.Change {
	return recdiff.OneValue(nil, ID, "hostname", a.shown(), b.shown())
}

// shown is the name r records as Diff shows it (nil: not managed).
func (r *Records) shown() *string {
	if !r.managed() {
		return nil
	}
	s := show(*r.Name)
	return &s
}
