package providertest

import (
	"context"
	"fmt"
	"testing"

	"github.com/gocfg/gocfg/internal/nspawntest"
	"github.com/gocfg/gocfg/platform/system"
)

// A ContainerSys is a live machine in a systemd-nspawn container, as the
// providers see it: its files through /proc/PID/root, its commands run
// inside it (nsenter) with the environment they name, else a PATH of the
// system's folders only. The ops run there unchanged, without --root, as
// they would with gocfg on that machine.
type ContainerSys struct {
	*system.Rooted
	T testing.TB
	C *nspawntest.Container
}

// NewContainerSys reaches the booted container c.
func NewContainerSys(t testing.TB, c *nspawntest.Container) *ContainerSys {
	return &ContainerSys{Rooted: system.NewRooted(fmt.Sprintf("/proc/%d/root", c.PID()), system.NewReal()), T: t, C: c}
}

// Run runs cmd inside the container.
func (s *ContainerSys) Run(_ context.Context, cmd system.Command) ([]byte, error) {
	env := cmd.Env
	if env == nil {
		env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
	}
	args := append(append([]string{"env", "-i"}, env...), cmd.Path)
	out, err := s.C.Exec(s.T, append(args, cmd.Args...)...)
	return []byte(out), err
}
