package e2e

import (
	"slices"
	"strings"
	"testing"
)

// greeting is a session variable whose value every layer of quoting must
// leave alone: quotes of both kinds, $, a backquote, a backslash.
const greeting = "it's \"$HOME\" `id` \\ 100%"

// optionsHomeConfig is alice, an administrator, with a git configuration
// and a session variable.
const optionsHomeConfig = `users "alice" {
  shell = "/bin/bash"
  admin = true
}

home "alice" {
  session_variables = {
    GOCFG_GREETING = "it's \"$HOME\" ` + "`id`" + ` \\ 100%"
  }
  programs {
    git {
      enable     = true
      user_name  = "Alice Liddell"
      user_email = "alice@example.org"
      aliases    = { st = "status --short" }
      ignores    = ["*.swp"]
    }
  }
}
`

// TestOptionsHome: on Debian, users.<name>.admin puts the user in sudo
// (host.distro from the machine's /etc/os-release), programs.git installs
// git (from the local repository) and is the git configuration git itself
// reads for the user, and session_variables
// reach the user's systemd manager (environment.d) and a login shell
// that sources session.sh, literally. A second switch changes nothing;
// without the options the files are gone and the user is no longer in
// sudo.
func TestOptionsHome(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-home")
	m.UseLocalDebs(t)

	t.Run("switch", func(t *testing.T) {
		out := m.switchTo(t, optionsHomeConfig)
		wantContains(t, "the switch", out, "~ group:sudo", "+ user:alice", "groups sudo",
			"+ file:~alice/.config/git/config", "+ file:~alice/.config/git/ignore",
			"+ file:~alice/.config/gocfg/session.sh", "+ file:~alice/.config/environment.d/60-gocfg.conf")

		// admin: the group sudo, the one Debian's sudoers names.
		groups := strings.Fields(m.out(t, "id", "-nG", "alice"))
		if !slices.Contains(groups, "sudo") {
			t.Errorf("id -nG alice = %q, want sudo among them", groups)
		}
		if slices.Contains(groups, "wheel") {
			t.Errorf("id -nG alice = %q: wheel", groups)
		}

		// programs.git: git installed (tester W: it was not), and what
		// it reads as alice.
		wantContains(t, "the switch", out, "packages:install", "git")
		wantEqual(t, "git", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "git"), "installed")
		got, err := m.ExecAs(t, "alice", "git", "config", "--global", "--get", "user.name")
		if err != nil {
			t.Fatalf("git config --global --get user.name: %v", err)
		}
		wantEqual(t, "git config --global --get user.name", strings.TrimSpace(got), "Alice Liddell")
		got, _ = m.ExecAs(t, "alice", "git", "config", "--get", "alias.st")
		wantEqual(t, "git config --get alias.st", strings.TrimSpace(got), "status --short")
		got, _ = m.ExecAs(t, "alice", "git", "config", "--get", "core.excludesFile")
		// Unset: git's default, ~/.config/git/ignore, applies.
		wantEqual(t, "core.excludesFile", strings.TrimSpace(got), "")
		m.MustExecAs(t, "alice", "sh", "-c", "cd && git init -q repo && cd repo && touch a.swp b && git status --short --untracked-files=all > ../status")
		wantEqual(t, "git status in a new repository", strings.TrimSpace(m.read(t, "/home/alice/status")), "?? b")

		// session_variables: what systemd's environment.d generator
		// gives alice's manager, read back by a shell, and what a login
		// shell that sources session.sh has.
		const show = `eval "$(/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator)" && printf '%s' "$GOCFG_GREETING"`
		got, err = m.ExecAs(t, "alice", "sh", "-c", show)
		if err != nil {
			t.Fatalf("environment.d generator: %v\n%s", err, got)
		}
		wantEqual(t, "GOCFG_GREETING from environment.d", got, greeting)
		got = m.MustExecAs(t, "alice", "bash", "-lc", `. "$HOME/.config/gocfg/session.sh" && printf '%s' "$GOCFG_GREETING"`)
		wantEqual(t, "GOCFG_GREETING from session.sh", got, greeting)
		// ~/.profile is the user's: not replaced by a link into the store.
		if r := m.run(t, "test", "-L", "/home/alice/.profile"); r.code == 0 {
			t.Error("~alice/.profile is a link: gocfg took it over")
		}

		// alice's own systemd manager, started now, has it too.
		m.MustExec(t, "loginctl", "enable-linger", "alice")
		m.waitUserManager(t, "alice")
		env := m.MustExecAs(t, "alice", "systemctl", "--user", "show-environment")
		wantContains(t, "systemctl --user show-environment", env, "GOCFG_GREETING=")
		m.MustExec(t, "loginctl", "disable-linger", "alice")
	})

	m.secondSwitchIdle(t)

	t.Run("options removed", func(t *testing.T) {
		out := m.switchTo(t, `users "alice" { shell = "/bin/bash" }`)
		wantContains(t, "the switch", out, "~ user:alice", "groups sudo → groups (none)",
			"- file:~alice/.config/git/config", "- file:~alice/.config/gocfg/session.sh")
		for _, p := range []string{".config/git/config", ".config/git/ignore", ".config/gocfg/session.sh", ".config/environment.d/60-gocfg.conf"} {
			if m.exists(t, "/home/alice/"+p) {
				t.Errorf("~alice/%s is still there", p)
			}
		}
		if groups := strings.Fields(m.out(t, "id", "-nG", "alice")); slices.Contains(groups, "sudo") {
			t.Errorf("id -nG alice = %q: still in sudo", groups)
		}
		wantContains(t, "getent group sudo", m.out(t, "getent", "group", "sudo"), "sudo:x:27:")
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "git").out; got == "installed" {
			t.Error("git, which gocfg installed, is still installed")
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch after", out, noChanges)
	})
}
