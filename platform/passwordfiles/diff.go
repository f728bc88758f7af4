package passwordfiles

import "github.com/gocfg/gocfg/platform/recdiff"

func init() { recdiff.Register(name, recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists the users whose password file differs from a to b (the
// paths; no hash).
func Diff(a, b *Records) []recdiff.Change {
	return recdiff.Values(nil, "user", ID, a.files(), b.files(), func(p string) string { return p })
}

// files are the password files r records (none for a nil r).
func (r *Records) files() map[string]string {
	if r == nil {
		return nil
	}
	return r.Files
}
