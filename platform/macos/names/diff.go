package names

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register("names", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the names a records to those b records
// (HostName, ComputerName, LocalHostName; hostname:<key>): a name one
// generation manages and the other does not, or sets differently.
func Diff(a, b *Records) []recdiff.Change {
	var cs []recdiff.Change
	for _, key := range []string{ComputerName, HostName, LocalHostName} {
		ra, rb := a.get(key), b.get(key)
		id := NameID(key)
		switch {
		case ra == nil && rb == nil:
		case ra == nil:
			cs = append(cs, recdiff.Created(id, "hostname", recdiff.Value("", "", rb.Name)))
		case rb == nil:
			cs = append(cs, recdiff.Deleted(id, "hostname", recdiff.Value("", ra.Name, "")))
		case ra.Name != rb.Name:
			cs = recdiff.Updated(cs, id, "hostname", recdiff.Fields{recdiff.Value("", ra.Name, rb.Name)})
		}
	}
	return cs
}
