package linger

import (
	"strconv"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register(name, recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists the users whose lingering gocfg sets differently from a to
// b.
func Diff(a, b *Records) []recdiff.Change {
	return recdiff.Values(nil, "user", ID, a.users(), b.users(), func(r Record) string { return strconv.FormatBool(r.Linger) })
}

// users are the users r records (none for a nil r).
func (r *Records) users() map[string]Record {
	if r == nil {
		return nil
	}
	return r.Users
}
