package names

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("names", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the names a records to those b records
// (HostName, ComputerName, LocalHostName; hostname:<key>): a name one
// generation manages and the other does not, or sets differently.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	for _, key := range []string{ComputerName, HostName, LocalHostName} {
		cs = recdiff.OneValue(cs, NameID(key), "hostname", a.get(key).name(), b.get(key).name())
	}
	return cs
}

// name is the name r records (nil: not managed).
func (r *Record) name() *string {
	if r == nil {
		return nil
	}
	return &r.Name
}
