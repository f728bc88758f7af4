package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the release's version, set by the release build with
// -ldflags -X; "" otherwise.
var version string

// Devel is the version of a build that says nothing of where it came
// from: `go build` with -buildvcs=false, or `go test`.
const Devel = "devel"

// An Info describes this gocfg binary.
type Info struct {
	// Version is the release or module version (v1.2.3, or a Go
	// pseudo-version such as v0.0.0-20261202074500-0123456789ab+dirty),
	// else "devel-<commit>" with "+dirty" for a build from a work tree
	// with uncommitted changes, else Devel.
	Version string `json:"version"`
	// Commit is the VCS revision the binary was built from ("" when the
	// build recorded none), and Dirty whether that work tree had
	// uncommitted changes.
	Commit string `json:"commit,omitempty"`
	Dirty  bool   `json:"dirty,omitempty"`
	// GoVersion is the Go toolchain that built it (go1.26.8).
	GoVersion string `json:"go"`
	// OS and Arch are the platform it was built for (linux, amd64).
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

// Read describes this binary.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, version)
}

// Version is Read().Version: what meta.json records.
func Version() string { return Read().Version }

// fromBuild describes a binary from its build information (nil when the
// binary has none) and the version set at link time ("" when none).
func fromBuild(bi *debug.BuildInfo, linked string) Info {
	info := Info{GoVersion: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, Version: Devel}
	if bi == nil {
		if linked != "" {
			info.Version = linked
		}
		return info
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.modified":
			info.Dirty = s.Value == "true"
		case "GOOS":
			info.OS = s.Value
		case "GOARCH":
			info.Arch = s.Value
		}
	}
	switch v := bi.Main.Version; {
	case linked != "":
		info.Version = linked
	case v != "" && v != "(devel)":
		info.Version = v
	case info.Commit != "":
		info.Version = Devel + "-" + short(info.Commit)
		if info.Dirty {
			info.Version += "+dirty"
		}
	}
	return info
}

// String is the line `gocfg version` prints:
// "v1.2.3, commit 0123456789ab, go1.26.8, linux/amd64", with
// "(dirty)" after a commit whose work tree had uncommitted changes.
func (i Info) String() string {
	parts := []string{i.Version}
	if i.Commit != "" && !strings.Contains(i.Version, short(i.Commit)) {
		c := "commit " + short(i.Commit)
		if i.Dirty {
			c += " (dirty)"
		}
		parts = append(parts, c)
	}
	parts = append(parts, i.GoVersion, i.OS+"/"+i.Arch)
	return strings.Join(parts, ", ")
}

// short is the first 12 hex digits of a commit.
func short(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
