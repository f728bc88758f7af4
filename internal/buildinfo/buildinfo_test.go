package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuild(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified},
			{Key: "GOOS", Value: "darwin"}, {Key: "GOARCH", Value: "arm64"}}
	}
	for _, tt := range []struct {
		name    string
		bi      *debug.BuildInfo
		linked  string
		version string
		line    string
	}{
		{"no build information", nil, "", "devel", "devel, " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH},
		{"-buildvcs=false", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "", "devel",
			"devel, go1.26.8, " + runtime.GOOS + "/" + runtime.GOARCH},
		{"go install @version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: vcs("false")}, "", "v1.2.3",
			"v1.2.3, commit 0123456789ab, go1.26.8, darwin/arm64"},
		{"work tree, no module version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")}, "",
			"devel-0123456789ab+dirty", "devel-0123456789ab+dirty, go1.26.8, darwin/arm64"},
		{"pseudo-version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261202074500-0123456789ab+dirty"}, Settings: vcs("true")}, "",
			"v0.0.0-20261202074500-0123456789ab+dirty", "v0.0.0-20261202074500-0123456789ab+dirty, go1.26.8, darwin/arm64"},
		{"release build", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")}, "v0.4.0",
			"v0.4.0", "v0.4.0, commit 0123456789ab, go1.26.8, darwin/arm64"},
		{"release build without VCS", &debug.BuildInfo{GoVersion: "go1.26.8"}, "v0.4.0", "v0.4.0", "v0.4.0, go1.26.8, " + runtime.GOOS + "/" + runtime.GOARCH},
	} {
		info := fromBuild(tt.bi, tt.linked)
		if info.Version != tt.version || info.String() != tt.line {
			t.Errorf("%s: version %q, line %q; want %q, %q", tt.name, info.Version, info.String(), tt.version, tt.line)
		}
	}
}

func TestRead(t *testing.T) {
	// A test binary has build information but no module version.
	info := Read()
	if info.Version == "" || !strings.HasPrefix(info.GoVersion, "go") || info.OS != runtime.GOOS || info.Arch != runtime.GOARCH {
		t.Errorf("Read() = %+v", info)
	}
	if Version() != info.Version {
		t.Errorf("Version() = %q, want %q", Version(), info.Version)
	}
}
