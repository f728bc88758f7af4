package buildinfo

import (
	"debug/buildinfo"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestReleaseBinaries checks the binaries scripts/release.sh built into
// $GOCFG_RELEASE_DIR (.ci/run sets it; the test skips without it): every
// one was built with CGO_ENABLED=0, the linux ones are static ELF files
// (no program interpreter, no shared library), so that "one static
// binary" is true, and the one for this platform prints the release's
// version (dist/VERSION). The darwin ones link only libSystem, as every Go program on
// macOS does.
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
		}
	}
}
