package files

import (
	"fmt"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
)

// etcStoreEdits finds, for root's rollback, the /etc files of the
// current generation that are gocfg's links and whose stored content
// was changed in place, through the link: root may write a 0444 file, so
// `echo >> /etc/motd` changes the store, and with it every generation
// that shares the content. A switch keeps such an edit beside the file
// (planEdited); a rollback writes no generation and cannot, so it stops
// (storeEditConflict). A home's store is root's, which its user cannot
// write when root runs. Keyed by path.
func (pl *planner) etcStoreEdits() map[string]generations.EditedFile {
	l := pl.l
	if !pl.fromRecords || !l.Privileged || l.Current == 0 || pl.applied == nil || l.Store == nil {
		return nil
	}
	order, byOwner := pl.editedStored(func(a *File) bool { return a.Root == etcRoot && a.Method == "link" && !a.Folder && a.Hash != "" })
	edits := map[string]generations.EditedFile{}
	for _, a := range order {
		for _, e := range byOwner[a] {
			if e.Got != "" && e.Got != e.Hash {
				edits[a.Path] = e
				break
			}
		}
	}
	return edits
}

// storeEditConflict stops a rollback that keeps, changes or removes
// the /etc file at path, gocfg's link whose stored content was
// edited in place (e): the link then shows the content of the
// generation rolled back to, or goes, and the edit, in no file of its
// own, is left in the current generation's store, deleted with it.
func (pl *planner) storeEditConflict(id, path string, e generations.EditedFile) {
	remedies := []platform.Remedy{
		platform.Fix(fmt.Sprintf(`make the edit a file of its own: cp --remove-destination "$(readlink -f %s)" %s; gocfg store verify --repair then puts back generation %d's content`, path, path, e.Gen)),
		platform.Fix("or switch instead: gocfg switch keeps the edit beside the file, as " + path + editedSuffix),
	}
	pl.conflict(id, path, fmt.Sprintf("its content was changed in place, through gocfg's link, in generation %d's store (content %s, recorded %s)", e.Gen, short(e.Got), short(e.Hash)), remedies...)
}
