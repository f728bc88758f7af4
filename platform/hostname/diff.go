package hostname

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("hostname", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the host name a records to the one b
// records: the name gocfg set, when one generation manages it and the
// other does not or they set different names.
func Diff(a, b *Records) []recdiff.Change {
	switch {
	case !a.managed() && !b.managed():
		return nil
	case !a.managed():
		return []recdiff.Change{recdiff.Created(ID, "hostname", recdiff.Value("", "", show(*b.Name)))}
	case !b.managed():
		return []recdiff.Change{recdiff.Deleted(ID, "hostname", recdiff.Value("", show(*a.Name), ""))}
	}
	var fs recdiff.Fields
	if *a.Name != *b.Name {
		fs = append(fs, recdiff.Value("", show(*a.Name), show(*b.Name)))
	}
	return recdiff.Updated(nil, ID, "hostname", fs)
}
