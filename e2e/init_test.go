package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/testfs"
)

// dotfilesRepo is the repository TestInitApply bootstraps from: a user
// with a dotfile, an /etc file that Debian ships already (in the way), a
// system service and a package from the local repository.
var dotfilesRepo = map[string]string{
	"default.hcl": `users "dana" {
  shell = "/bin/bash"
}
home "dana" {
  files ".bashrc" { source = "./dot/bashrc" }
}
environment {
  system_packages = ["hello"]
  etc "motd" { text = "dana's machine\n" }
}
systemd {
  services "dana-web" {
    exec_start = "/bin/sleep infinity"
    wanted_by  = ["multi-user.target"]
  }
}
`,
	"dot/bashrc": "# dana's .bashrc, from her dotfiles\n",
}

// bareRepo writes files into a new git repository on the host and
// returns a bare clone of it, for a container to clone over file://.
func bareRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed on the host")
	}
	tmp := t.TempDir()
	src := testfs.Tree(t, filepath.Join(tmp, "src"), files)
	bare := filepath.Join(tmp, "dots.git")
	for _, args := range [][]string{
		{"-C", src, "init", "-q"},
		{"-C", src, "add", "-A"},
		{"-C", src, "-c", "user.name=E2E", "-c", "user.email=e2e@example.org", "commit", "-q", "-m", "dotfiles"},
		{"clone", "-q", "--bare", src, bare},
	} {
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+tmp)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return bare
}

// TestInitApply: on a fresh machine with no gocfg state and no git
// program, `gocfg init --apply file:///…` clones the repository (with
// go-git) into /etc/gocfg and brings up a user, their dotfile, an /etc
// file (Debian's own moved aside to .gocfg-backup), a service and a
// package in one command; a second plan is empty.
func TestInitApply(t *testing.T) {
	t.Parallel()
	bare := bareRepo(t, dotfilesRepo)
	m := boot(t, "e2e-init-apply", bare+":/srv/dots.git")
	m.UseLocalDebs(t)
	if r := m.run(t, "sh", "-c", "command -v git"); r.code == 0 {
		t.Logf("the container has git (%s): the clone uses it, not go-git", strings.TrimSpace(r.out))
	}
	motd := m.read(t, "/etc/motd")

	out := m.mustGocfg(t, "init", "--apply", "file:///srv/dots.git")
	t.Logf("# gocfg init --apply file:///srv/dots.git\n%s", out) // the bootstrap transcript (go test -v)
	wantContains(t, "init --apply", out,
		"gocfg: cloning file:///srv/dots.git into /etc/gocfg",
		"gocfg: files in the way are moved aside to <path>.gocfg-backup",
		"+ user:dana", "packages:install", "hello", "(backup to /etc/motd.gocfg-backup)",
		"Generation 1 is current.")

	wantContains(t, "getent passwd dana", m.out(t, "getent", "passwd", "dana"), ":/home/dana:/bin/bash")
	wantEqual(t, "~dana/.bashrc", m.read(t, "/home/dana/.bashrc"), dotfilesRepo["dot/bashrc"])
	wantEqual(t, "/etc/motd", m.read(t, "/etc/motd"), "dana's machine\n")
	wantEqual(t, "/etc/motd.gocfg-backup", m.read(t, "/etc/motd.gocfg-backup"), motd)
	wantEqual(t, "dana-web", m.out(t, "systemctl", "is-active", "dana-web.service"), "active")
	wantEqual(t, "dana-web enabled", m.out(t, "systemctl", "is-enabled", "dana-web.service"), "enabled")
	wantEqual(t, "hello", m.out(t, "hello"), "Hello, world!")
	if !m.exists(t, "/etc/gocfg/.git") {
		t.Error("/etc/gocfg is not a git work tree")
	}

	// Root's default configuration is /etc/gocfg once it is there.
	out = m.mustGocfg(t, "plan")
	t.Logf("# gocfg plan\n%s", out)
	wantContains(t, "the second plan", out, noChanges)

	// init does not clone over it.
	r := m.gocfg(t, nil, "init", "--apply", "file:///srv/dots.git")
	if r.code != 1 {
		t.Fatalf("a second init --apply: %v", r)
	}
	wantContains(t, "a second init --apply", r.out, "/etc/gocfg: a repository is there already")
}

// TestInitDescribe: `gocfg init` on a machine with a user and a package
// installed by hand writes a configuration that names them, and the
// first plan only adopts what is there.
func TestInitDescribe(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-init-describe")
	m.UseLocalDebs(t)
	m.MustExec(t, "useradd", "--create-home", "--shell", "/bin/bash", "--groups", "users", "erin")
	m.MustExec(t, "apt-get", "install", "-y", "-q", "hello")

	out := m.mustGocfg(t, "init")
	wantContains(t, "init", out, "Wrote /etc/gocfg: hosts/e2e-init-describe.hcl (1 user, ", "Next: gocfg plan should show no changes")
	hcl := m.read(t, "/etc/gocfg/hosts/e2e-init-describe.hcl")
	wantContains(t, "hosts/e2e-init-describe.hcl", hcl, `users "erin" {`, `shell  = "/bin/bash"`, `groups = ["users"]`, `"hello"`, "system_packages")
	if m.run(t, "test", "-f", "/etc/gocfg/README.md").code != 0 {
		t.Error("no README.md")
	}

	out = m.mustGocfg(t, "plan")
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "+ ") || strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "~ ") && !strings.Contains(l, "adopted") {
			t.Errorf("the first plan after init changes something: %q\n%s", l, out)
		}
	}
	if strings.Contains(out, "warning") {
		t.Errorf("the first plan after init warns:\n%s", out)
	}
}
