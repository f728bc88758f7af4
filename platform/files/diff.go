package files

import (
	"strconv"

	"github.com/gocfg/gocfg/platform/recdiff"
)

func init() { recdiff.Register("files", recdiff.Decoded(DecodeRecords, Diff)) }

// Diff lists what differs from the files a records to those b records,
// by path: a file's description as plans show it (method, mode,
// content hash, link target) before → after, then what the description
// leaves out (owner; a linked folder's listing). The folders gocfg
// created are machinery and are not compared.
func Diff(a, b *Records) []recdiff.Change {
	before := make(map[string]*File, len(a.Files))
	for _, f := range a.Files {
		before[f.Path] = f
	}
	var cs []recdiff.Change
	for _, f := range b.Files {
		old, ok := before[f.Path]
		delete(before, f.Path)
		if !ok {
			cs = append(cs, recdiff.Created(ID(f), "file", recdiff.Value("", "", Describe(f))))
			continue
		}
		var fs recdiff.Fields
		if da, db := Describe(old), Describe(f); da != db {
			fs = append(fs, recdiff.Value("", da, db))
		} else {
			fs.Add("content", recdiff.Short(old.Hash), recdiff.Short(f.Hash))
			fs.Add("executable", strconv.FormatBool(old.Exec), strconv.FormatBool(f.Exec))
		}
		fs.Add("owner", recdiff.Owner(old.UID, old.GID), recdiff.Owner(f.UID, f.GID))
		cs = recdiff.Updated(cs, ID(f), "file", fs)
	}
	for _, f := range a.Files {
		if _, gone := before[f.Path]; gone {
			cs = append(cs, recdiff.Deleted(ID(f), "file", recdiff.Value("", Describe(f), "")))
		}
	}
	return cs
}
