package secrets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
	"github.com/gocfg/gocfg/platform/system"
)

// TestPrivateWay (tester AO): a user's secret is written only in folders
// she or root owns and no one else may write in; a folder another user
// made on the way (his gocfg/secrets under her old runtime folder) is
// refused, as is one others may write in; her own primary group may
// write (umask 002).
func TestPrivateWay(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give folders to other uids")
	}
	base := t.TempDir()
	mk := func(rel string, uid, gid int, mode os.FileMode) string {
		return testfs.Folder(t, filepath.Join(base, rel), uid, gid, mode)
	}
	mk("rt", 1001, 1001, 0o755)
	mk("rt/mine", 1001, 1001, 0o700)
	mk("rt/his", 1002, 1002, 0o777)
	mk("rt/open", 1001, 1001, 0o777)
	mk("rt/group", 1001, 1001, 0o770)
	sys := system.NewReal()
	for _, tc := range []struct {
		dir, want string
	}{
		{"rt/mine", ""},
		{"rt/group", ""},
		{"rt/his", "is owned by uid 1002"},
		{"rt/open", "may be written by others"},
	} {
		err := privateWay(sys, filepath.Join(base, tc.dir, "tok"), 1001, 1001)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.dir, err, tc.want)
		}
	}
	// The op checks before it decrypts or writes anything.
	op := &HomeWriteOp{Write: HomeFile{Path: filepath.Join(base, "rt/his/tok"), Decryption: Decryption{UID: 1001, GID: 1001, Mode: "0400"}}}
	if err := op.Apply(t.Context(), sys); err == nil || !strings.Contains(err.Error(), "is owned by uid 1002") {
		t.Errorf("Apply into his folder: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(base, "rt/his/.gocfg-secret-tok")); err == nil {
		t.Error("a temporary file was made in his folder")
	}
	// Another primary group than hers does not count as hers.
	if err := privateWay(sys, filepath.Join(base, "rt/group", "tok"), 1001, 100); err == nil {
		t.Error("a folder of group 1001 passed for a user of primary group 100")
	}
}
