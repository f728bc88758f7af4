package files

import (
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// TestHomeDirID: the ID other providers depend on for a home folder the
// plan makes is the one the files provider gives that folder's change.
func TestHomeDirID(t *testing.T) {
	for _, user := range []string{"alice", "bob.smith"} {
		if got, want := platform.HomeDirID(user), dirID(homeRoot(user), ""); got != want {
			t.Errorf("platform.HomeDirID(%q) = %q, the files provider's = %q", user, got, want)
		}
		if u, ok := platform.HomeOf(platform.HomeDirID(user)); !ok || u != user {
			t.Errorf("HomeOf(HomeDirID(%q)) = %q, %v", user, u, ok)
		}
	}
}
