package macfake

import (
	"context"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform/system"
)

func TestBrew(t *testing.T) {
	ctx := context.Background()
	f := newFake(t, "root", UserRecord{Name: "alice", UID: 501})
	if err := f.SeedBrew(BrewState{Formulae: []string{"git"}}); err != nil {
		t.Fatal(err)
	}
	if fi, err := f.Stat(BrewPath); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("%s: %v", BrewPath, err)
	}
	// brew as alice, through sudo and env, as gocfg runs it.
	run := func(args ...string) (string, error) {
		argv := append([]string{"-u", "alice", "-H", "--", "/usr/bin/env", "HOMEBREW_NO_AUTO_UPDATE=1", BrewPath}, args...)
		out, err := f.Run(ctx, system.Command{Path: "/usr/bin/sudo", Args: argv, UID: -1, GID: -1})
		return string(out), err
	}
	if out, err := f.Run(ctx, system.Command{Path: BrewPath, Args: []string{"list"}, UID: -1, GID: -1}); err == nil || !strings.Contains(string(out), "Running Homebrew as root is extremely dangerous") {
		t.Errorf("brew as root: %q, %v", out, err)
	}
	for _, tt := range []struct {
		args []string
		out  string
		fail bool
	}{
		{args: []string{"list", "--formula", "-1"}, out: "git\n"},
		{args: []string{"install", "--formula", "jq", "nosuch"}, out: "Error: No available formula with the name \"nosuch\".\n", fail: true},
		{args: []string{"install", "--formula", "jq", "python3"}, out: "==> Installing jq\n==> Installing python@3.12\n"},
		{args: []string{"list", "--formula", "-1"}, out: "git\njq\npython@3.12\n"},
		{args: []string{"install", "--cask", "nosuch"}, out: "Error: Cask 'nosuch' is unavailable: No Cask with this name exists.\n", fail: true},
		{args: []string{"install", "--cask", "firefox"}, out: "==> Installing firefox\n"},
		{args: []string{"list", "--cask", "-1"}, out: "firefox\n"},
		{args: []string{"info", "--json=v2", "--formula", "hashicorp/tap/terraform"}, out: "Please tap it", fail: true},
		{args: []string{"install", "--formula", "hashicorp/tap/terraform"}, out: "==> Tapping hashicorp/tap\nTapped.\n==> Installing hashicorp/tap/terraform\n"},
		{args: []string{"tap"}, out: "hashicorp/tap\n"},
		{args: []string{"untap", "hashicorp/tap"}, out: "Refusing to untap hashicorp/tap", fail: true},
		{args: []string{"uninstall", "--formula", "terraform"}, out: "Uninstalling terraform...\n"},
		{args: []string{"untap", "hashicorp/homebrew-tap"}, out: "Untapping hashicorp/tap...\nUntapped.\n"},
		{args: []string{"tap", "nobody/nothing"}, out: "exited with 128", fail: true},
		{args: []string{"uninstall", "--cask", "iterm2"}, out: "Error: Cask 'iterm2' is not installed.\n", fail: true},
		{args: []string{"uninstall", "--formula", "wget"}, out: "Error: No such keg: /opt/homebrew/Cellar/wget\n", fail: true},
		{args: []string{"upgrade"}, out: "not faked", fail: true},
	} {
		out, err := run(tt.args...)
		if (err != nil) != tt.fail || !strings.Contains(out, tt.out) {
			t.Errorf("brew %s: %q, %v; want %q (fail %v)", strings.Join(tt.args, " "), out, err, tt.out, tt.fail)
		}
	}
	out, err := run("info", "--json=v2", "--formula", "python3", "wget")
	var doc struct {
		Formulae []struct {
			Name      string            `json:"name"`
			FullName  string            `json:"full_name"`
			Aliases   []string          `json:"aliases"`
			Installed []json.RawMessage `json:"installed"`
		} `json:"formulae"`
	}
	if err != nil || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Formulae) != 2 ||
		doc.Formulae[0].Name != "python@3.12" || len(doc.Formulae[0].Installed) != 1 || !slices.Equal(doc.Formulae[0].Aliases, []string{"python3"}) ||
		doc.Formulae[1].Name != "wget" || len(doc.Formulae[1].Installed) != 0 {
		t.Errorf("info: %s, %v", out, err)
	}
	s, err := f.Brew()
	if err != nil || !slices.Equal(s.Formulae, []string{"git", "jq", "python@3.12"}) || !slices.Equal(s.Casks, []string{"firefox"}) || len(s.Taps) != 0 {
		t.Errorf("state %+v, %v", s, err)
	}
	log, err := f.Log()
	if err != nil || !strings.HasPrefix(log[1], "[alice] /usr/bin/sudo -u alice -H -- /usr/bin/env HOMEBREW_NO_AUTO_UPDATE=1 /opt/homebrew/bin/brew list") {
		t.Errorf("log %q, %v", log, err)
	}
}
