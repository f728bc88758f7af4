package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/gocfg/gocfg/internal/mountinfo"
	"github.com/gocfg/gocfg/platform/files"
)

// update rewrites the golden files inside the scripts from the actual
// output: go test ./cmd/gocfg -run TestScripts -update
var update = flag.Bool("update", false, "rewrite the golden files: testdata/script/*.txtar and docs/options.md")

// TestMain makes the test binary double as the gocfg command that the
// scripts run.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"gocfg": func() {
			os.Exit(runProcess(os.Args[1:], scriptEnv()))
		},
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: each sets
// up a dotfiles repository in its archive and checks the output and exit
// status of gocfg commands.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       *update,
		RequireExplicitExec: false,
		RequireUniqueNames:  true,
		Condition:           condition,
		Cmds:                scriptCmds(),
		Setup: func(env *testscript.Env) error {
			// A fresh home folder, $WORK/home: ~/.config/gocfg is the
			// last place gocfg looks for a configuration, so a script
			// can put one there with files named home/.config/gocfg/...
			home := filepath.Join(env.WorkDir, "home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			env.Setenv("HOME", home)
			env.Setenv("NO_COLOR", "1")
			env.Setenv("GOCFG_TEST_ARCH", "amd64")
			// The evaluation cache stays in the script's folder, not
			// in /var/cache/gocfg (root) or the home.
			env.Setenv("GOCFG_CACHE_DIR", filepath.Join(env.WorkDir, ".gocfg-cache"))
			// $EXAMPLES is the repository's examples folder.
			examples, err := filepath.Abs(filepath.Join("..", "..", "examples"))
			if err != nil {
				return err
			}
			env.Setenv("EXAMPLES", examples)
			unsetenv(env, "GOCFG_CONFIG", "XDG_CONFIG_HOME", "XDG_STATE_HOME")
			return nil
		},
	})
}

// condition evaluates the scripts' own conditions:
//
//	[pty]   pseudo-terminals can be opened (for running gocfg under script(1))
//	[root]  the tests run as root (ownership, setpriv to another user)
func condition(cond string) (bool, error) {
	switch cond {
	case "root":
		return os.Geteuid() == 0, nil
	case "pty":
		f, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
		if err != nil {
			return false, nil
		}
		return true, f.Close()
	case "localfs":
		// The scripts' work folders are on a file system whose folders of
		// links the files provider settles (platform/files/settled.go).
		data, err := os.ReadFile("/proc/self/mountinfo")
		if err != nil {
			return false, nil
		}
		best, fstype := "", ""
		for _, m := range mountinfo.Parse(string(data)) {
			if (m.MountPoint == "/" || strings.HasPrefix(os.TempDir()+"/", m.MountPoint+"/")) && len(m.MountPoint) >= len(best) {
				best, fstype = m.MountPoint, m.FSType
			}
		}
		return files.LocalFS(fstype), nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// unsetenv removes variables from a script's environment.
func unsetenv(env *testscript.Env, names ...string) {
	env.Vars = slices.DeleteFunc(env.Vars, func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(names, name)
	})
}
