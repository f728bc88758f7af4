package builtin

import (
	"embed"
	"io/fs"
	"path"
	"sort"
)

//go:embed all:hcl
var files embed.FS

// FS is the tree of built-in modules, rooted at the folder that holds
// them (paths such as "core/networking.hcl").
var FS fs.FS = mustSub(files, "hcl")

// Files lists every built-in module in FS, sorted by path: the order in
// which they are loaded.
func Files() []string {
	var out []string
	_ = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".hcl" {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
