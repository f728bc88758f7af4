package macfake

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

func init() {
	register("mas", runMas)
}

// MasState is the fake's Mac App Store (/.macfake/mas.json): the apps
// installed from it, and the ones it sells, by id.
type MasState struct {
	Installed []MasApp `json:"installed"`
	Available []MasApp `json:"available"`
}

// A MasApp is one App Store app.
type MasApp struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// DefaultMasCatalogue is what a fresh fake's App Store sells.
func DefaultMasCatalogue() []MasApp {
	return []MasApp{{409183694, "Keynote"}, {409201541, "Pages"}, {409203825, "Numbers"}, {497799835, "Xcode"},
		{904280696, "Things 3"}, {937984704, "Amphetamine"}}
}

// Mas returns the fake App Store's state.
func (f *Fake) Mas() (MasState, error) { return withLock(f, f.loadMas) }

// SeedMas writes the App Store's state (a nil Available takes the
// default catalogue).
func (f *Fake) SeedMas(s MasState) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.Available == nil {
		s.Available = DefaultMasCatalogue()
	}
	return f.saveMas(&s)
}

func (f *Fake) loadMas() (MasState, error) {
	return loadOr(f, "mas", MasState{Available: DefaultMasCatalogue()})
}

func (f *Fake) saveMas(s *MasState) error {
	if s.Installed == nil {
		s.Installed = []MasApp{}
	}
	sort.Slice(s.Installed, func(i, j int) bool { return s.Installed[i].ID < s.Installed[j].ID })
	return f.Save("mas", s)
}

// runMas answers `mas list`, `mas install <id>...` (as the user signed in
// to the App Store, never root) and `mas uninstall <id>` (root only, as
// mas moves the app out of /Applications).
func runMas(_ context.Context, f *Fake, c Call) ([]byte, int) {
	if len(c.Args) == 0 {
		return failf("macfake: mas without a command is not faked")
	}
	s, err := f.loadMas()
	if err != nil {
		return failf("macfake: %v", err)
	}
	var ids []int
	for _, a := range c.Args[1:] {
		id, err := strconv.Atoi(a)
		if err != nil {
			return failf("Error: %q is not a valid app ID", a)
		}
		ids = append(ids, id)
	}
	find := func(l []MasApp, id int) int { return slices.IndexFunc(l, func(a MasApp) bool { return a.ID == id }) }
	var out strings.Builder
	switch c.Args[0] {
	case "list":
		if len(ids) > 0 {
			return failf("macfake: mas list with arguments is not faked")
		}
		for _, a := range s.Installed {
			fmt.Fprintf(&out, "%d  %s  (1.0)\n", a.ID, a.Name)
		}
		if len(s.Installed) == 0 {
			return []byte("No installed apps found\n"), 0
		}
		return []byte(out.String()), 0
	case "install":
		if c.User == "root" {
			return failf("Error: mas install must not run as root: the App Store installs for the user signed in")
		}
		for _, id := range ids {
			i := find(s.Available, id)
			if i < 0 {
				return failf("Error: No apps found in the Mac App Store for app ID %d", id)
			}
			if find(s.Installed, id) >= 0 {
				fmt.Fprintf(&out, "Warning: %s is already installed\n", s.Available[i].Name)
				continue
			}
			s.Installed = append(s.Installed, s.Available[i])
			fmt.Fprintf(&out, "==> Downloading %s\n==> Installed %s\n", s.Available[i].Name, s.Available[i].Name)
		}
	case "uninstall":
		if c.User != "root" {
			return failf("Error: Apps installed from the Mac App Store require root permission to remove.")
		}
		if len(ids) != 1 {
			return failf("Error: mas uninstall takes one app ID")
		}
		i := find(s.Installed, ids[0])
		if i < 0 {
			return failf("Error: Not installed: app ID %d", ids[0])
		}
		fmt.Fprintf(&out, "==> Uninstalled %s\n", s.Installed[i].Name)
		s.Installed = slices.Delete(s.Installed, i, i+1)
	default:
		return []byte("macfake: not faked: mas " + c.Args[0] + "\n"), 127
	}
	if err := f.saveMas(&s); err != nil {
		return failf("macfake: %v", err)
	}
	return []byte(out.String()), 0
}
