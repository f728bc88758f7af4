package modules

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/modules/loader"
)

// Host describes the machine the configuration is for: the `host` object
// of expressions.
type Host struct {
	OS   string // "linux" or "darwin"
	Arch string // GOARCH, such as "amd64" or "arm64"
	Name string // the selected host name
	User string // the invoking user
	// Distro is the distribution family (see DistroFamily): "debian",
	// "fedora", "arch", "suse", "alpine", another os-release ID, "macos"
	// on darwin, "linux" when the os-release names none.
	Distro string
}

// distroFamilies maps os-release IDs to the family host.distro names.
var distroFamilies = map[string]string{
	"debian": "debian", "ubuntu": "debian",
	"fedora": "fedora", "rhel": "fedora", "centos": "fedora",
	"arch": "arch",
	"suse": "suse", "opensuse": "suse", "sles": "suse",
	"alpine": "alpine",
}

// DistroFamily is host.distro for a machine running goos whose
// os-release(5) file reads osRelease (nil: none): "macos" on darwin;
// on Linux the family of ID, else of the first of ID_LIKE that has
// one (Ubuntu, Mint and Raspberry Pi OS are "debian"; RHEL, CentOS,
// Rocky and Alma "fedora"; Manjaro and EndeavourOS "arch"), else ID
// itself ("nixos", "gentoo"); "linux", os-release(5)'s default, when
// there is no ID, or none it allows (validID). Never "": a host that
// gocfg deploy asks could otherwise make `files/${host.distro}` name
// files/ itself (tester AT).
func DistroFamily(goos string, osRelease []byte) string {
	if goos == "darwin" {
		return "macos"
	}
	var id string
	var like []string
	sc := bufio.NewScanner(bytes.NewReader(osRelease))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		} else if len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'' {
			v = v[1 : len(v)-1]
		}
		switch k {
		case "ID":
			id = strings.ToLower(v)
		case "ID_LIKE":
			like = strings.Fields(strings.ToLower(v))
		}
	}
	if !validID(id) {
		return defaultID
	}
	for _, c := range append([]string{id}, like...) {
		if f, ok := distroFamilies[c]; ok {
			return f
		}
		if strings.HasPrefix(c, "opensuse") {
			return "suse"
		}
	}
	return id
}

// defaultID is os-release(5)'s ID when the file sets none.
const defaultID = "linux"

// validID reports whether id is an os-release(5) ID: 0-9, a-z, ".", "_"
// and "-", here beginning with a letter or digit and at most 64 bytes.
// host.distro may name a folder of sources, and gocfg deploy takes it
// from what the host prints (tester AS: a hostile host's ID ".." made
// the deployer send it the whole repository, and "../../.ssh" the
// deploying user's SSH key).
func validID(id string) bool {
	if id == "" || len(id) > 64 || !(id[0] >= 'a' && id[0] <= 'z' || id[0] >= '0' && id[0] <= '9') {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ReadDistro is host.distro of the tree at root ("/" for this machine):
// DistroFamily of its etc/os-release, or usr/lib/os-release when that
// is missing (as os-release(5) says).
func ReadDistro(goos, root string) string {
	if goos == "darwin" {
		return "macos"
	}
	if root == "" {
		root = "/"
	}
	b, err := os.ReadFile(root + "/etc/os-release")
	if err != nil {
		b, _ = os.ReadFile(root + "/usr/lib/os-release")
	}
	return DistroFamily(goos, b)
}

// Options says what to load.
type Options struct {
	// Entry is the entry module's file (see loader.ResolveEntry). Empty
	// loads the built-in modules alone.
	Entry string
	Host  Host
	// Getenv backs env(); nil means os.Getenv.
	Getenv func(string) string
	// Builtins replaces the built-in modules (nil: builtin.FS).
	Builtins fs.FS
	// NoBuiltins leaves the built-in modules out (for tests of the
	// language itself).
	NoBuiltins bool
	// WorkDir, when set, makes file names in messages relative to it.
	WorkDir string
	// Reader, when set, reads the modules and the files of file() calls
	// (see loader.Reader): how the evaluation cache learns what an
	// evaluation read.
	Reader loader.Reader

	// forkMembers and forkWorkers, when set (by the tests, through
	// export_test.go), replace the evaluator's: the fewest members of an
	// object shared out among cores, and how many cores (see
	// eval.Evaluator.SetForking).
	forkMembers, forkWorkers int
}

func (o Options) getenv() func(string) string {
	if o.Getenv != nil {
		return o.Getenv
	}
	return os.Getenv
}
