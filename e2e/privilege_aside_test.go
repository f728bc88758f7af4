package e2e

import (
	"strings"
	"testing"
)

// TestPrivilegePlantedAside: while root switches, a changed file in a
// home is first moved aside to <path>.gocfg-<generation>~, a name anyone
// can predict. mallory puts a file of her own there; before the plan
// looked for it, root's switch failed at that step and was undone for
// every user. Now the step takes the next free name (.gocfg-2.1~ …
// .9~): the switch goes on for everyone, her planted file left as it
// is. Only with every one of those names taken is her home held (exit
// status 3, her files and her planted files left as they are) while
// alice's files switch.
func TestPrivilegePlantedAside(t *testing.T) {
	t.Parallel()
	m := bootAttacked(t, "e2e-priv-aside")
	m.addUser(t, "alice")
	gen := func(n string) string {
		return homeConfig(map[string][]homeFile{
			"alice": {{rel: ".gocfg-alice", text: "alice " + n + "\n", method: "copy"}},
			mallory: {{rel: ".plant.conf", text: "mallory " + n + "\n", method: "copy"}},
		})
	}
	m.switchTo(t, gen("one"))
	m.wantGenerations(t, []int{1}, 1)
	planted := malloryHome + "/.plant.conf.gocfg-2~"
	m.MustExecAs(t, mallory, "sh", "-c", `echo mine >"$1"`, "sh", planted)

	m.config(t, gen("two"))
	r := m.gocfg(t, nil, "switch", "-c", cfgDir)
	if r.code != 0 {
		t.Errorf("switch with one aside name taken: want exit status 0; %v", r)
	}
	wantEqual(t, "~alice/.gocfg-alice", m.read(t, "/home/alice/.gocfg-alice"), "alice two\n")
	wantEqual(t, "~mallory/.plant.conf", m.read(t, malloryHome+"/.plant.conf"), "mallory two\n")
	wantEqual(t, "the planted file", m.read(t, planted), "mine\n")
	m.wantGenerations(t, []int{1, 2}, 2)

	// Every name generation 3 may take, planted.
	all := malloryHome + "/.plant.conf.gocfg-3~"
	m.MustExecAs(t, mallory, "sh", "-c", `echo mine >"$1"; for k in 1 2 3 4 5 6 7 8 9; do echo mine >"${1%?}.$k~"; done`, "sh", all)
	m.config(t, gen("three"))
	r = m.gocfg(t, nil, "switch", "-c", cfgDir)
	if r.code != 3 || !strings.Contains(r.out, all) {
		t.Errorf("switch: want exit status 3 (partial) with %s named as a conflict; %v", all, r)
	}
	wantEqual(t, "~alice/.gocfg-alice", m.read(t, "/home/alice/.gocfg-alice"), "alice three\n")
	wantEqual(t, "~mallory/.plant.conf", m.read(t, malloryHome+"/.plant.conf"), "mallory two\n")
	wantEqual(t, "a planted file", m.read(t, all), "mine\n")
	m.wantGenerations(t, []int{1, 2, 3}, 3)
}
