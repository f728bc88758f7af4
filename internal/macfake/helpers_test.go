package macfake

import (
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// newFake is a fake Mac in a temporary folder where commands run as self,
// with the local accounts users.
func newFake(t *testing.T, self string, users ...UserRecord) *Fake {
	t.Helper()
	f := New(system.NewRooted(t.TempDir(), system.NewReal()), self)
	for _, u := range users {
		if err := f.AddUser(u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}
