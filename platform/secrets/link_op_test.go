package secrets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestLinkOpConfinesItself: a secret's link ops confine the folder the
// plan confined (LinkOp.Confined) themselves, so that an undo run by
// the recovery of a killed switch, with no plan before it, does not
// follow a link the folder's owner planted either: nothing is made, and
// nothing removed, where the link leads.
func TestLinkOpConfinesItself(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown needs root")
	}
	dir := t.TempDir()
	app, victim := filepath.Join(dir, "srv/app"), filepath.Join(dir, "srv/rootonly")
	for _, d := range []string{app, filepath.Join(victim, "sub")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(app, 1000, 1000); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../rootonly", filepath.Join(app, "conf")); err != nil {
		t.Fatal(err)
	}
	const target = "/run/gocfg/secrets/db"
	// gocfg's own link, as the switch made it before the owner swapped
	// conf: an undo or unlink that followed conf would remove it, and
	// the empty folder sub (they leave what they cannot reach, and say
	// nothing: it is not theirs).
	if err := os.Symlink(target, filepath.Join(victim, "db")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, op := range map[string]interface {
		Apply(context.Context, system.System) error
		Undo(context.Context, system.System) error
	}{
		"link":   &LinkOp{Path: filepath.Join(app, "conf/new/db"), Target: target, Made: []string{filepath.Join(app, "conf/new")}, Confined: app},
		"undo":   &LinkOp{Path: filepath.Join(app, "conf/db"), Target: target, Made: []string{filepath.Join(app, "conf/sub")}, Confined: app},
		"unlink": &UnlinkOp{Path: filepath.Join(app, "conf/db"), Target: target, Confined: app},
	} {
		sys := system.NewReal() // a fresh one: nothing confined yet
		var err error
		if name == "undo" {
			err = op.Undo(ctx, sys)
		} else {
			err = op.Apply(ctx, sys)
		}
		if name == "link" && !errors.Is(err, system.ErrOutside) {
			t.Errorf("%s: err = %v, want ErrOutside", name, err)
		}
		if _, err := os.Lstat(filepath.Join(victim, "new")); err == nil {
			t.Errorf("%s: made a folder in %s", name, victim)
		}
		if _, err := os.Lstat(filepath.Join(victim, "db")); err != nil {
			t.Errorf("%s: removed gocfg's link in %s: %v", name, victim, err)
		}
		if _, err := os.Lstat(filepath.Join(victim, "sub")); err != nil {
			t.Errorf("%s: removed the folder sub of %s: %v", name, victim, err)
		}
	}
}
