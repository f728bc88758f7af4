package deploy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoHosts is HostNames' error for a folder without hosts/*.hcl.
var ErrNoHosts = errors.New("no hosts/*.hcl")

// HostNames lists the hosts of the configuration folder dir: the names of
// its hosts/*.hcl, sorted. A folder without hosts/ has none (an error that
// says how to describe one).
func HostNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "hosts"))
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil, fmt.Errorf("%s: %w: a deploy needs one file per host (hosts/web1.hcl)", dir, ErrNoHosts)
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".hcl")
		if ok && name != "" && e.Type().IsRegular() && !strings.HasPrefix(name, ".") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Evaluate evaluates one host's configuration to gocfg eval --json's
// JSON; the command supplies it (cmd/gocfg: modules.Load with the host's
// facts).
type Evaluate func(ctx context.Context, host string) ([]byte, error)

// Inventory evaluates every host of dir and reads its deployment
// options. The errors of every host are returned together, each naming
// its host.
func Inventory(ctx context.Context, dir string, eval Evaluate) ([]Host, error) {
	names, err := HostNames(dir)
	if err != nil {
		return nil, err
	}
	return InventoryOf(ctx, names, eval)
}

// InventoryOf is Inventory of the hosts names only: when --on names
// hosts by their names (Literal), the others are not evaluated, so that
// one host's broken file does not stop a deploy to another (tester P),
// and no evaluation is spent on hosts left out.
func InventoryOf(ctx context.Context, names []string, eval Evaluate) ([]Host, error) {
	var hosts []Host
	var errs []error
	for _, n := range names {
		js, err := eval(ctx, n)
		if err != nil {
			errs = append(errs, fmt.Errorf("host %s: %w", n, err))
			continue
		}
		h, err := HostFromJSON(n, js)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		hosts = append(hosts, h)
	}
	return hosts, errors.Join(errs...)
}
