package nspawntest

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// modulePath is the module whose ./cmd/gocfg BuildGocfg builds.
const modulePath = "github.com/gocfg/gocfg"

var gocfgBuild struct {
	once sync.Once
	path string
	skip string // why it cannot be built here (no go command)
	err  error
}

// BuildGocfg builds ./cmd/gocfg for Linux as a static binary
// (CGO_ENABLED=0) once per test binary and returns its host path, to pass
// as Options.Gocfg. The binary goes to the user's cache folder
// (~/.cache/gocfg-nspawntest/HASH/gocfg, one per checkout), replaced by
// an atomic rename, so that test binaries running at once do not trip
// over each other. It skips the test when there is no go command and
// fails it when the build fails.
func BuildGocfg(t testing.TB) string {
	t.Helper()
	b := &gocfgBuild
	b.once.Do(func() {
		start := time.Now()
		b.path, b.skip, b.err = buildGocfg()
		if b.err == nil && b.skip == "" {
			t.Logf("nspawntest: built %s in %s", b.path, time.Since(start).Round(time.Millisecond))
		}
	})
	switch {
	case b.skip != "":
		t.Skip("nspawntest: " + b.skip)
	case b.err != nil:
		t.Fatalf("nspawntest: building gocfg: %v", b.err)
	}
	return b.path
}

func buildGocfg() (path, skip string, err error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", "no go command to build gocfg with", nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256([]byte(root))
	var dir string
	if cache, cerr := os.UserCacheDir(); cerr == nil {
		dir = filepath.Join(cache, "gocfg-nspawntest", hex.EncodeToString(sum[:6]))
		err = os.MkdirAll(dir, 0o755)
	} else {
		dir, err = os.MkdirTemp("", "gocfg-nspawntest-") // no HOME: left behind
	}
	if err != nil {
		return "", "", err
	}
	final := filepath.Join(dir, "gocfg")
	tmp := fmt.Sprintf("%s.%d.tmp", final, os.Getpid())
	// -tags gocfgtest: the machine tests stop gocfg at a step boundary
	// (GOCFG_TEST_KILL_AT, GOCFG_TEST_HOLD_AT), which only a test build
	// honours (cmd/gocfg/fault_hook.go).
	cmd := exec.Command(goCmd, "build", "-tags", "gocfgtest", "-o", tmp, "./cmd/gocfg")
	cmd.Dir = root
	// The test binary's own GOFLAGS (e.g. -race, which needs cgo) are not
	// for this build.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH, "GOFLAGS=-buildvcs=false")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return "", "", fmt.Errorf("go build ./cmd/gocfg in %s: %v\n%s", root, err, out)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return "", "", err
	}
	return final, "", nil
}

// moduleRoot is the folder holding this module's go.mod: found upwards
// from the working directory (a test runs in its package's folder), else
// from this source file.
func moduleRoot() (string, error) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	for _, dir := range starts {
		for {
			if isModuleRoot(dir) {
				return dir, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", errors.New("no go.mod of " + modulePath + " above the working directory")
}

// isModuleRoot reports whether dir/go.mod declares modulePath.
func isModuleRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`) == modulePath
		}
	}
	return false
}
