package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
)

// A damaged record file (a generation's meta.json or resources.json, the
// journal) is reported, never read as empty: see generations.DamagedError.
// `gocfg store verify`, which will check and repair the state folder, is
// not built yet, so the hints say what to do by hand.

// current returns the current generation and what it applied. A
// resources.json that is missing or damaged is an error naming the file,
// with what to do: it is never read as "nothing applied".
func (m *machine) current() (int, platform.Applied, error) {
	cur, err := m.store.Current()
	if err != nil || cur == 0 {
		return 0, platform.Applied{}, err
	}
	applied, err := m.readApplied(cur)
	if errors.Is(err, fs.ErrNotExist) {
		err = &generations.DamagedError{Path: m.resourcesPath(cur), Err: errors.New("the file is missing")}
	}
	if err != nil {
		return 0, nil, m.damagedCurrent(err, cur)
	}
	return cur, applied, nil
}

// readApplied returns what generation n applied, from its resources.json.
// A damaged file is a *generations.DamagedError naming it.
func (m *machine) readApplied(n int) (platform.Applied, error) {
	data, err := m.store.ReadFile(n, "resources.json")
	if err != nil {
		return nil, err
	}
	applied, err := platform.DecodeAppliedFile(m.resourcesPath(n), data)
	if err != nil {
		return nil, err
	}
	if unknown := platform.UnknownRecords(applied); len(unknown) > 0 {
		return nil, withHints(fmt.Errorf("%s: generation %d has records of %s, which this gocfg does not know: a newer gocfg made it, and this one would drop them (what they manage would no longer be managed)", m.resourcesPath(n), n, strings.Join(quoted(unknown), ", ")),
			"run the gocfg that made it, or a newer one (gocfg generations list --json shows each generation's version)")
	}
	return applied, nil
}

// quoted is each of names in double quotes.
func quoted(names []string) []string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return q
}

// resourcesPath is the resources.json of generation n.
func (m *machine) resourcesPath(n int) string {
	return filepath.Join(m.store.Path(n), "resources.json")
}

// damagedCurrent adds the remedies to err when it is a damaged record
// file of the current generation cur: gocfg cannot tell what that
// generation manages, so it plans nothing from it.
func (m *machine) damagedCurrent(err error, cur int) error {
	var de *generations.DamagedError
	if !errors.As(err, &de) {
		return err
	}
	return withHints(err,
		fmt.Sprintf("gocfg cannot tell what generation %d manages; nothing was changed", cur),
		"restore the file from a backup, or go on from an intact generation (gocfg generations list): "+
			"point current at it by hand with ln -sfn generations/N "+m.store.CurrentPath()+", then check gocfg status")
}

// damagedGeneration adds the remedies to err when it is a damaged record
// file of generation n (a rollback's target, a side of a diff).
func (m *machine) damagedGeneration(err error, n int) error {
	var de *generations.DamagedError
	if !errors.As(err, &de) {
		return err
	}
	if cur, cerr := m.store.Current(); cerr == nil && cur == n {
		return m.damagedCurrent(err, n)
	}
	return withHints(err, fmt.Sprintf("pick another generation (gocfg generations list), or delete this one: gocfg generations delete %d", n))
}
