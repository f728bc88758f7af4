package secrets

import (
	"os"
	"path/filepath"
)

// FindRecipientsFile returns the nearest secrets.hcl in dir or one of its
// parent folders, as agenix looks for secrets.nix from where it runs; ""
// when there is none.
func FindRecipientsFile(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, RecipientsFileName)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
