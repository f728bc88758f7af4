package e2e

import (
	"slices"
	"strings"
	"testing"
)

// optionsLocaleConfig sets the option-library modules of issue 14 that
// shape a user's session: i18n, console.keymap and programs.zsh (system
// and home).
const optionsLocaleConfig = `i18n {
  default_locale        = "de_DE.UTF-8"
  extra_locale_settings = { LC_TIME = "en_GB.UTF-8" }
}
console {
  keymap = "de-latin1-nodeadkeys"
}
programs {
  zsh {
    enable = true
  }
}
users "alice" { shell = "/bin/bash" }
home "alice" {
  programs {
    zsh {
      enable  = true
      aliases = { ll = "ls -l --color=never", q = "echo 'it''s' $HOME" }
    }
  }
}
`

// TestOptionsLocale: in one booted Debian container without the package
// locales, the options switched on install it in the same switch (the
// i18n module asks for it; gocfg writes /etc after the packages'
// postinsts, and keeps the /etc/locale.gen the package made), compile the
// locales (locale -a), write /etc/default/locale, /etc/locale.gen and
// /etc/default/keyboard, install zsh (which Debian's package adds to
// /etc/shells) and give alice a ~/.zshrc whose aliases an interactive zsh
// has; a second switch changes nothing; the options removed put back the
// machine's files (the package's, for the ones it made), locales and
// packages. (console.keymap with console-setup's setupcon:
// TestOptionsConsole; networking.networkmanager: TestOptionsNetworkManager.)
func TestOptionsLocale(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-locale")
	m.UseLocalDebs(t)
	if m.run(t, "sh", "-c", "command -v locale-gen").code == 0 {
		t.Fatal("locales is installed before the switch")
	}

	locales := func(t *testing.T) []string {
		t.Helper()
		return strings.Fields(m.out(t, "locale", "-a"))
	}
	state := func(t *testing.T, path string) string {
		t.Helper()
		if !m.exists(t, path) {
			return "(none)"
		}
		return m.read(t, path)
	}
	before := map[string]string{}
	for _, p := range []string{"/etc/locale.gen", "/etc/default/locale", "/etc/default/keyboard"} {
		before[p] = state(t, p)
	}
	beforeLocales := locales(t)
	if slices.Contains(beforeLocales, "de_DE.utf8") {
		t.Fatalf("locale -a lists de_DE.utf8 before the switch: %q", beforeLocales)
	}
	if m.run(t, "sh", "-c", "command -v zsh").code == 0 {
		t.Fatal("zsh is installed before the switch")
	}

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, optionsLocaleConfig)
		wantContains(t, "the switch", out, "packages:install", "zsh", "locales", "file:/etc/locale.gen", "file:/etc/default/locale",
			"file:/etc/default/keyboard", "+ file:~alice/.zshrc")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		got := locales(t)
		for _, l := range []string{"de_DE.utf8", "en_GB.utf8", "C.utf8"} {
			if !slices.Contains(got, l) {
				t.Errorf("locale -a = %q, want %s among them", got, l)
			}
		}
		wantEqual(t, "/etc/default/locale", m.read(t, "/etc/default/locale"),
			"# Written by gocfg (i18n); replaced by every switch.\nLANG=de_DE.UTF-8\nLC_TIME=en_GB.UTF-8\n")
		wantEqual(t, "/etc/locale.gen", m.read(t, "/etc/locale.gen"),
			"# Written by gocfg (i18n.supported_locales); replaced by every switch.\n# locale-gen compiles these after each change.\nde_DE.UTF-8 UTF-8\nen_GB.UTF-8 UTF-8\n")
		wantContains(t, "/etc/default/keyboard", m.read(t, "/etc/default/keyboard"), "\nXKBLAYOUT=\"de\"\nXKBVARIANT=\"nodeadkeys\"\n")
		// A login reads /etc/default/locale through pam_env.
		wantContains(t, "alice's login environment", m.out(t, "su", "-", "alice", "-c", "locale"), "LANG=de_DE.UTF-8", "LC_TIME=en_GB.UTF-8")

		// zsh: from the package, in /etc/shells (by Debian's package), and
		// alice's interactive zsh has the aliases, quoted as written.
		wantContains(t, "/etc/shells", m.read(t, "/etc/shells"), "\n/bin/zsh\n")
		aliases := m.MustExecAs(t, "alice", "zsh", "-i", "-c", "alias")
		wantContains(t, "zsh -i -c alias as alice", aliases, "ll='ls -l --color=never'")
		got2 := m.MustExecAs(t, "alice", "zsh", "-i", "-c", `print -r -- "$aliases[q]"`)
		wantEqual(t, "alias q", strings.TrimSpace(got2), "echo 'it''s' $HOME")

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("options removed: the machine as before", func(t *testing.T) {
		out := m.switchTo(t, `users "alice" { shell = "/bin/bash" }`)
		wantContains(t, "the switch", out, "- file:~alice/.zshrc", "packages:remove")
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
		for p, want := range before {
			got := state(t, p)
			if want == "(none)" {
				// Made by the package locales, which apt-get remove
				// leaves: the package's, not gocfg's.
				if strings.Contains(got, "gocfg") {
					t.Errorf("%s is still gocfg's:\n%s", p, got)
				}
				continue
			}
			wantEqual(t, p, got, want)
		}
		for _, p := range []string{"/etc/locale.gen.gocfg-orig", "/etc/default/locale.gocfg-orig"} {
			if m.exists(t, p) {
				t.Errorf("%s is still there", p)
			}
		}
		wantEqual(t, "locale -a", strings.Join(locales(t), " "), strings.Join(beforeLocales, " "))
		if m.exists(t, "/home/alice/.zshrc") {
			t.Error("~alice/.zshrc is still there")
		}
		if r := m.run(t, "sh", "-c", "command -v zsh"); r.code == 0 {
			t.Errorf("zsh is still installed: %s", r.out)
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch after", out, noChanges)
	})

	// Tester W: a rollback to the generation with the options stopped
	// at /etc/default/locale and /etc/locale.gen, "in the way", though
	// they were what gocfg itself had put back; forced over with
	// --backup-ext, the next switch without the options lost them.
	//
	// As in W's case, locales stays installed (by hand here): a rollback
	// that installs it again meets its postinst's edit of
	// /etc/locale.gen, and stops with nothing changed (compare and swap).
	t.Run("rollback to the options, then off again", func(t *testing.T) {
		m.MustExec(t, "apt-get", "install", "-y", "-q", "locales")
		after := map[string]string{}
		for p := range before {
			after[p] = state(t, p)
		}
		out := m.mustGocfg(t, "rollback")
		t.Logf("the rollback:\n%s", out)
		wantEqual(t, "/etc/default/locale after the rollback", m.read(t, "/etc/default/locale"),
			"# Written by gocfg (i18n); replaced by every switch.\nLANG=de_DE.UTF-8\nLC_TIME=en_GB.UTF-8\n")
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		t.Logf("the switch after it:\n%s", out)
		for p, want := range after {
			wantEqual(t, p+" once the options are off again", state(t, p), want)
		}
	})
}
