package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/files"
	"github.com/gocfg/gocfg/platform/system"
)

// A HomeFile is one decryption of a user's secret into a regular file:
// the stored ciphertext Cipher (checked against Hash), decrypted with
// the user's identity files, written to a temporary file beside Path
// (root's, 0400), given to the user with Mode, and renamed to Path.
// Every path is in the user's home or runtime folder, which cmd/gocfg
// (or the plan) confined: no link in it is followed out of it.
type HomeFile struct {
	Path string `json:"path"`
	Decryption
}

func (f *HomeFile) temp() string {
	return filepath.Join(filepath.Dir(f.Path), ".gocfg-secret-"+filepath.Base(f.Path))
}

// writeFile decrypts and writes the file.
func (f *HomeFile) writeFile(sys system.System) error {
	return f.write(sys, f.Path, f.temp(), f.Path)
}

// remove removes the file (and a temporary one), never following a
// link: a link or a folder there is left.
func (f *HomeFile) remove(sys system.System) error {
	return removeRegular(sys, f.temp(), f.Path)
}

// removeTemp removes the temporary file a write left.
func (f *HomeFile) removeTemp(sys system.System) error {
	return removeRegular(sys, f.temp())
}

// removeRegular removes those of paths that are regular files.
func removeRegular(sys system.System, paths ...string) error {
	for _, p := range paths {
		fi, err := sys.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		if err := sys.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// HomeWriteOp writes a user's secret (Write), making the folders Dirs
// first (the user's, 0700). Prev, when set, is the secret it replaces:
// Undo decrypts that one again (from the generation that is current)
// instead of removing the file.
type HomeWriteOp struct {
	Write HomeFile  `json:"write"`
	Prev  *HomeFile `json:"prev,omitempty"`
	// Dirs are folders to make, outermost first, owned by the user.
	Dirs []string `json:"dirs,omitempty"`
	// Unverified: the file at Path holds an earlier plaintext than
	// Prev's, which was never written (a --root switch recorded it
	// without decrypting): Apply cannot check it is gocfg's.
	Unverified bool `json:"unverified,omitempty"`
	// Confined are the user's folders the op's paths are in (her home,
	// her runtime folder) when root acts for another user: Apply and
	// Undo confine them themselves, as the recovery of a killed switch
	// runs the undo without the plan that confined them (tester V).
	Confined []string `json:"confined,omitempty"`
}

// Describe says what the op does.
func (o *HomeWriteOp) Describe() string {
	return fmt.Sprintf("decrypt a secret (ciphertext %s) into %s", short(o.Write.Hash), o.Write.Path)
}

// Apply makes the folders and writes the secret.
func (o *HomeWriteOp) Apply(_ context.Context, sys system.System) error {
	confineAll(sys, o.Confined)
	for _, d := range o.Dirs {
		err := sys.Mkdir(d, 0o700)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		if o.Write.UID >= 0 || o.Write.GID >= 0 {
			if err := sys.Lchown(d, o.Write.UID, o.Write.GID); err != nil {
				return err
			}
		}
	}
	if len(o.Confined) == 0 {
		// Not confined (her own gocfg): the folders must be hers.
		if err := privateWay(sys, o.Write.Path, o.Write.UID, o.Write.GID); err != nil {
			return err
		}
	}
	if o.Prev != nil && !o.Unverified {
		if err := o.Prev.unchanged(sys); err != nil {
			return err
		}
	}
	if o.Prev == nil {
		// The plan found nothing at the path: what is there now
		// appeared since, and is not gocfg's to replace.
		if _, err := sys.Lstat(o.Write.Path); err == nil {
			return fmt.Errorf("%s: appeared since the plan was made; not overwriting it: %w", o.Write.Path, platform.ErrUnchanged)
		}
	}
	return o.Write.writeFile(sys)
}

// unchanged says (an error with platform.ErrUnchanged) when the file
// holds something else than the secret gocfg wrote: edited since the
// plan, which saw it as gocfg wrote it. A secret this run cannot decrypt
// again is not checked.
func (f *HomeFile) unchanged(sys system.System) error {
	plain, err := f.plaintext(sys, f.Path)
	defer clear(plain)
	if err != nil {
		return nil
	}
	same, err := holdsPlain(sys, f.Path, plain)
	if errors.Is(err, system.ErrOutside) {
		// Not an edit of the file (tester AE: the undo said a file
		// never written was kept as edited): the way to it leads out.
		return fmt.Errorf("%s: a folder on the way leads outside the home; not following it: %w", f.Path, err)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) || err == nil && !same {
		return fmt.Errorf("%s: changed since the plan was made; not overwriting it: %w", f.Path, platform.ErrUnchanged)
	}
	return nil
}

// Undo puts the previous secret back, or removes the file and the
// folders made (when empty), only where the file holds what Apply wrote,
// or nothing. A file that holds something else is the user's (she
// edited it during the switch: tester T): it stays as it is, and the
// undo says so (platform.ErrKept); the secret from before the switch is
// in the current generation, and comes back once she moves her file
// away. A file that holds the previous secret already (Apply stopped
// before its rename) is left as it is. So is a file whose content this
// undo cannot tell, the secret not decrypting with the keys it has
// (tester AZ: it was taken for gocfg's, and her own file removed or
// overwritten by a recovery of a switch killed before its first step).
func (o *HomeWriteOp) Undo(ctx context.Context, sys system.System) error {
	confineAll(sys, o.Confined)
	o.Write.fromCommand(ctx)
	if o.Prev != nil {
		o.Prev.fromCommand(ctx)
	}
	if _, err := sys.Lstat(o.Write.Cipher); errors.Is(err, fs.ErrNotExist) {
		// The new ciphertext was never stored, and Apply reads it
		// first: it never ran (reviewer R20: a keyless recovery of a
		// switch killed before its first step warned of a file that was
		// as it had been).
		return o.Write.removeTemp(sys)
	}
	w, why, err := o.Write.state(sys)
	if err != nil {
		// Left, not kept as hers: nothing can be said of it.
		return err
	}
	switch {
	case w == fileMissing && o.Prev != nil, w == fileWritten && o.Prev != nil:
		return o.Prev.writeFile(sys)
	case w == fileMissing, w == fileWritten:
		if err := o.Write.remove(sys); err != nil {
			return err
		}
		removeMade(sys, o.Dirs)
		return nil
	}
	if o.Prev != nil {
		if p, _, err := o.Prev.state(sys); err == nil && p == fileWritten {
			return o.Prev.removeTemp(sys)
		}
	}
	_ = o.Write.removeTemp(sys)
	if w == fileUnknown {
		// Reviewer R28: the same words as below, and no earlier secret
		// where there was none.
		back := "; the secret from before the switch was not written back: move the file away, and the next switch or rollback writes the secret of the generation it makes current"
		if o.Prev == nil {
			back = ""
		}
		return fmt.Errorf("%s: it may hold the new secret gocfg wrote, or an edit: gocfg cannot tell without a key to the new secret (%v)%s: %w", o.Write.Path, why, back, platform.ErrKept)
	}
	// Not "changed since gocfg wrote it": gocfg may never have (the op
	// did not run), and the file may be her edit of the old secret
	// (tester BD, reviewer R24).
	if o.Prev == nil {
		return fmt.Errorf("%s: holds something other than the new secret (an edit, kept as it is): %w", o.Write.Path, platform.ErrKept)
	}
	return fmt.Errorf("%s: holds neither the secret from before the switch nor the new one (an edit, kept as it is); the secret from before the switch was not written back: move the file away, and the next switch or rollback writes the secret of the generation it makes current: %w", o.Write.Path, platform.ErrKept)
}

// fileState is what a secret's file holds, as an undo sees it.
type fileState int

const (
	fileMissing fileState = iota // nothing at the path
	fileWritten                  // the secret's plaintext
	fileOther                    // something else: her edit
	fileUnknown                  // the secret does not decrypt: cannot tell
)

// state says what the file at f.Path holds against f's secret; why is
// fileUnknown's cause. err is a way out of the home (system.ErrOutside)
// or keys the command was to give (platform.ErrNeedsKeys): nothing can
// be said.
func (f *HomeFile) state(sys system.System) (st fileState, why error, err error) {
	fi, err := sys.Lstat(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fileMissing, nil, nil
	case errors.Is(err, system.ErrOutside):
		return fileUnknown, nil, fmt.Errorf("%s: a folder on the way leads outside the home; not following it: %w", f.Path, err)
	case err == nil && !fi.Mode().IsRegular():
		// A link, a folder, a FIFO: no secret of gocfg's, and no key
		// needed to say so (reviewer R20).
		return fileOther, nil, nil
	}
	plain, err := f.plaintext(sys, f.Path)
	defer clear(plain)
	if errors.Is(err, platform.ErrNeedsKeys) {
		return fileUnknown, nil, err
	}
	if err != nil {
		return fileUnknown, err, nil
	}
	same, err := holdsPlain(sys, f.Path, plain)
	switch {
	case errors.Is(err, system.ErrOutside):
		return fileUnknown, nil, fmt.Errorf("%s: a folder on the way leads outside the home; not following it: %w", f.Path, err)
	case errors.Is(err, fs.ErrNotExist):
		return fileMissing, nil, nil
	case err == nil && same:
		return fileWritten, nil, nil
	}
	return fileOther, nil, nil
}

// HomeRemoveOp removes a user's secret (a regular file only); Undo
// decrypts it again from the generation that is current.
type HomeRemoveOp struct {
	Prev HomeFile `json:"prev"`
	// Unverified and Confined: as HomeWriteOp's.
	Unverified bool     `json:"unverified,omitempty"`
	Confined   []string `json:"confined,omitempty"`
}

// confineAll puts each of dirs behind the privilege boundary, as a
// home (files.ConfineHome).
func confineAll(sys system.System, dirs []string) {
	for _, d := range dirs {
		files.ConfineHome(sys, d)
	}
}

// Describe says what the op does.
func (o *HomeRemoveOp) Describe() string { return "remove the secret " + o.Prev.Path }

// Apply removes the file, unless it was edited since the plan.
func (o *HomeRemoveOp) Apply(_ context.Context, sys system.System) error {
	confineAll(sys, o.Confined)
	if !o.Unverified {
		if err := o.Prev.unchanged(sys); err != nil {
			return err
		}
	}
	return o.Prev.remove(sys)
}

// Undo writes it again when it is gone.
func (o *HomeRemoveOp) Undo(ctx context.Context, sys system.System) error {
	confineAll(sys, o.Confined)
	if _, err := sys.Lstat(o.Prev.Path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	o.Prev.fromCommand(ctx)
	return o.Prev.writeFile(sys)
}
