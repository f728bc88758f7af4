package buildinfo

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReleaseBinaries checks the binaries scripts/release.sh built into
// $GOCFG_RELEASE_DIR (.ci/run sets it; the test skips without it):
//   - every one was built with CGO_ENABLED=0 and, where the Go here
//     knows the opt-out, GOEXPERIMENT=nogreenteagc;
//   - the linux ones are static ELF files (no program interpreter, no
//     shared library), so that "one static binary" is true; the darwin
//     ones link only libSystem, as every Go program on macOS does;
//   - the one for this platform prints the release's version
//     (dist/VERSION) and ignores the test hooks (checkNoTestHooks).
func TestReleaseBinaries(t *testing.T) {
	dir := os.Getenv("GOCFG_RELEASE_DIR")
	if dir == "" {
		t.Skip("GOCFG_RELEASE_DIR is not set: run scripts/release.sh DIR first (.ci/run does)")
	}
	version, err := os.ReadFile(filepath.Join(dir, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	want := "gocfg version " + strings.TrimSpace(string(version)) + ", "
	// scripts/release.sh builds with Go's previous garbage collector
	// while the Go that builds knows the opt-out (Go 1.27 is to drop it).
	collector := exec.Command("go", "env", "GOEXPERIMENT")
	collector.Env = append(os.Environ(), "GOEXPERIMENT=nogreenteagc")
	collectorKnown := collector.Run() == nil
	for _, osArch := range []string{"linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64"} {
		p := filepath.Join(dir, "gocfg-"+osArch)
		bi, err := buildinfo.ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		settings := map[string]string{}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		if settings["CGO_ENABLED"] != "0" {
			t.Errorf("%s: CGO_ENABLED=%q, want 0", p, settings["CGO_ENABLED"])
		}
		if collectorKnown && !slices.Contains(strings.Split(settings["GOEXPERIMENT"], ","), "nogreenteagc") {
			t.Errorf("%s: GOEXPERIMENT=%q, want nogreenteagc (scripts/release.sh: Go's previous garbage collector)", p, settings["GOEXPERIMENT"])
		}
		if !strings.HasPrefix(osArch, "linux-") {
			continue
		}
		f, err := elf.Open(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				t.Errorf("%s: has a program interpreter: it is linked dynamically", p)
			}
		}
		if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
			t.Errorf("%s: needs shared libraries %v (%v)", p, libs, err)
		}
		f.Close()
		if osArch == runtime.GOOS+"-"+runtime.GOARCH {
			out, err := exec.Command(p, "version").CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), want) {
				t.Errorf("%s version: %q, %v; want %q...", p, out, err, want)
			}
			checkNoTestHooks(t, p)
		}
	}
}

// checkNoTestHooks runs a switch with the release binary at path under
// the test hooks' variables, and fails if it honoured either: a release
// build holds no GOCFG_TEST_KILL_AT (it would die at the journal) nor
// GOCFG_TEST_HOLD_AT (it would write <hold>.held and wait a minute for
// <hold>), as only test builds do (cmd/gocfg/fault_hook.go).
func checkNoTestHooks(t *testing.T, path string) {
	t.Helper()
	// Nor the names of the test bounds (fault_hook.go's envTestBounds).
	if bin, err := os.ReadFile(path); err != nil {
		t.Fatal(err)
	} else {
		for _, name := range []string{"GOCFG_TEST_KILL_AT", "GOCFG_TEST_HOLD_AT", "GOCFG_TEST_JOB_TIMEOUT", "GOCFG_TEST_PEER_TIMEOUT", "GOCFG_TEST_DEPLOY_RECONNECT"} {
			if bytes.Contains(bin, []byte(name)) {
				t.Errorf("%s holds %s: a release build must not read it", path, name)
			}
		}
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.MkdirAll(filepath.Join(cfg, "dot"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"default.hcl": "home \"alice\" {\n  files \".zshrc\" {\n    source = \"./dot/zshrc\"\n  }\n}\n",
		"dot/zshrc":   "# zshrc\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(cfg, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hold := filepath.Join(dir, "hold")
	cache := filepath.Join(dir, "cache")
	cmd := exec.Command(path, "switch", "-c", cfg, "--root", filepath.Join(dir, "root"))
	// The evaluation cache goes to the test's folder: as root, the switch
	// would otherwise leave an entry in the machine's /var/cache/gocfg.
	cmd.Env = append(os.Environ(), "GOCFG_CACHE_DIR="+cache, "GOCFG_TEST_KILL_AT=journal-written",
		"GOCFG_TEST_HOLD_AT=journal-written", "GOCFG_TEST_HOLD_FILE="+hold)
	cmd.WaitDelay = time.Second
	done := time.AfterFunc(30*time.Second, func() { _ = cmd.Process.Kill() })
	out, err := cmd.CombinedOutput()
	done.Stop()
	if err != nil || !strings.Contains(string(out), "Generation 1") {
		t.Errorf("%s switch with GOCFG_TEST_KILL_AT and GOCFG_TEST_HOLD_AT set: %v\n%s\n(a release build must ignore the test hooks)", path, err, out)
	}
	if _, err := os.Stat(hold + ".held"); err == nil {
		t.Errorf("%s wrote %s.held: a release build must ignore GOCFG_TEST_HOLD_AT", path, hold)
	}
	if entries, _ := filepath.Glob(filepath.Join(cache, "eval", "*")); len(entries) == 0 {
		t.Errorf("%s left no evaluation cache entry in GOCFG_CACHE_DIR=%s: where did it go?", path, cache)
	}
}
