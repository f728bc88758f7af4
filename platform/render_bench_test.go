package platform

import (
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

// dotfilesPlan is the plan of a first switch of n dotfiles as
// bench/cmd/gendotfiles writes them (.config/app_*/sub_*/file_*, ten a
// folder): a change for each folder and each file, each after its
// folder, the first 100 files with their content's diff, in the order
// the files provider lists them.
func dotfilesPlan(n int) []Change {
	cs := []Change{
		{ID: "dir:~bench", Kind: "dir", Action: Create, After: "folder 0700"},
		{ID: "dir:~bench/.config", Kind: "dir", Action: Create, After: "folder 0755", Deps: []string{"dir:~bench"}},
	}
	for f := range n {
		app, sub := f/100, f/10%10
		dir := fmt.Sprintf("dir:~bench/.config/app_%d", app)
		if f%100 == 0 {
			cs = append(cs, Change{ID: dir, Kind: "dir", Action: Create, After: "folder 0755", Deps: []string{"dir:~bench/.config"}})
		}
		subdir := fmt.Sprintf("%s/sub_%d", dir, sub)
		if f%10 == 0 {
			cs = append(cs, Change{ID: subdir, Kind: "dir", Action: Create, After: "folder 0755", Deps: []string{dir}})
		}
		c := Change{ID: fmt.Sprintf("file:~bench/.config/app_%d/sub_%d/file_%d", app, sub, f%10), Kind: "file", Action: Create,
			After: fmt.Sprintf("link, content %08x", f), Deps: []string{"dir" + subdir[len("dir"):]}}
		if f < 100 {
			c.Diff = contentdiff.Created(fmt.Appendf(nil, "# generated dotfile %d\nkey_%d = \"value %d\"\n", f, f, f))
		}
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b Change) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return cs
}

func BenchmarkViewPlanDotfiles(b *testing.B) {
	cs, err := order(dotfilesPlan(10000))
	if err != nil {
		b.Fatal(err)
	}
	p := &Plan{Changes: cs, Notes: []string{"files: the content of 9900 more files that change is not shown"}}
	for b.Loop() {
		if err := (View{Out: io.Discard}).Plan(p, "gocfg will make these changes:"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOrderDotfiles(b *testing.B) {
	cs := dotfilesPlan(10000)
	in := make([]Change, len(cs))
	for b.Loop() {
		copy(in, cs)
		if _, err := order(in); err != nil {
			b.Fatal(err)
		}
	}
}
