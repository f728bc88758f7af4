package secrets

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gocfg/gocfg/internal/pathtrust"
	"github.com/gocfg/gocfg/platform/system"
)

// privateWay is the error for a secret at path, of owner uid and gid
// (-1: the user gocfg runs as), whose folder another user could change:
// one owned by someone else than root and its owner, or that group or
// others may write in (its owner's own primary group excepted), on the
// way or the folder itself. A user's own gocfg writes her secrets by
// path, not confined (root confines the homes it acts in): tester AO's
// rollback put her secret back under a runtime folder recorded in an
// older generation, where another user had since made gocfg/secrets
// his, and won races on its temporary name (her ~/.bashrc chmod'ed
// 0400, his link installed as her secret).
func privateWay(sys system.System, path string, uid, gid int) error {
	if uid < 0 {
		uid = os.Geteuid()
	}
	p := pathtrust.Policy{
		Trusted:      pathtrust.Trusting(uid),
		PrivateGroup: func(u, g int) bool { return u == uid && gid >= 0 && g == gid },
		Leaf:         true,
		Missing:      true,
	}
	if where, why := pathtrust.Exposure(sys, filepath.Dir(path), p); where != "" {
		return fmt.Errorf("%s: %s %s, so another user could reach the secret; not written", path, where, why)
	}
	return nil
}
