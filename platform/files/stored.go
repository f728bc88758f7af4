package files

import (
	"path"

	"github.com/gocfg/gocfg/generations"
)

// Stored lists what recs say a generation stores for the provider: the
// files root, path, content hash and mode of every link and copy, and of
// every file of a linked folder (Gen is left 0). gocfg store verify and
// rollback check the store against it.
func Stored(recs *Records) []generations.StoredFile {
	var out []generations.StoredFile
	for _, f := range recs.Files {
		switch {
		case f.Method == "live":
		case f.Folder:
			for _, c := range f.Files {
				out = append(out, generations.StoredFile{Root: f.Root, Rel: path.Join(f.Rel, c.Rel), Hash: c.Hash, Exec: c.Exec})
			}
		default:
			out = append(out, generations.StoredFile{Root: f.Root, Rel: f.Rel, Hash: f.Hash, Exec: f.Exec})
		}
		// The original gocfg keeps, to put back when it lets go (tester
		// AF: a generation whose records named originals its tree
		// lacked verified as whole).
		if o := f.Original; o != nil && o.Target == "" {
			out = append(out, generations.StoredFile{Root: originalsRoot(f.Root), Rel: f.Rel, Hash: o.Hash})
		}
	}
	return out
}

// Sources returns the source files recs name, by the content hash they
// had when the generation was made (text has none: the configuration
// gave it). gocfg store verify --repair hashes them again before it
// writes anything from them.
func Sources(recs *Records) map[string][]string {
	out := map[string][]string{}
	for _, f := range recs.Files {
		switch {
		case f.Method == "live" || f.Source == "":
		case f.Folder:
			for _, c := range f.Files {
				out[c.Hash] = append(out[c.Hash], f.Source+"/"+c.Rel)
			}
		default:
			out[f.Hash] = append(out[f.Hash], f.Source)
		}
	}
	return out
}
