package e2e

import (
	"strings"
	"testing"
)

// TestPrivilegePlantedAside: while root switches, a changed file in a
// home is first moved aside to <path>.gocfg-<generation>~, a name anyone
// can predict. mallory puts a file of her own there; before the plan
// looked for it, root's switch failed at that step and was undone for
// every user. Now her home is held (exit status 3, her files and her
// planted file left as they are) and alice's files switch.
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
	if r.code != 3 || !strings.Contains(r.out, planted) {
		t.Errorf("switch: want exit status 3 (partial) with %s named as a conflict; %v", planted, r)
	}
	wantEqual(t, "~alice/.gocfg-alice", m.read(t, "/home/alice/.gocfg-alice"), "alice two\n")
	wantEqual(t, "~mallory/.plant.conf", m.read(t, malloryHome+"/.plant.conf"), "mallory one\n")
	wantEqual(t, "the planted file", m.read(t, planted), "mine\n")
	m.wantGenerations(t, []int{1, 2}, 2)
}
