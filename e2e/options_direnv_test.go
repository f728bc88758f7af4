package e2e

import (
	"strings"
	"testing"
)

// optionsDirenvConfig is alice, whose ~/.bashrc and ~/.zshrc gocfg
// writes, with direnv: a function of her own in direnvrc, and a
// direnv.toml that trusts every .envrc under ~/trusted.
const optionsDirenvConfig = `users "alice" { shell = "/bin/bash" }

home "alice" {
  programs {
    bash { enable = true }
    zsh { enable = true }
    direnv {
      enable = true
      stdlib = "use_gocfg() {\n  export GOCFG_STDLIB=\"$1\"\n}"
      config = {
        whitelist = { prefix = ["~/trusted"] }
      }
    }
  }
}
`

// The .envrc files alice writes: one she allows, one in a folder that
// direnv.toml trusts, which she never allows.
const (
	direnvEnvrc   = "export GOCFG_DIRENV='from .envrc'\nuse gocfg yes\n"
	direnvTrusted = "export GOCFG_DIRENV=trusted\n"
)

// direnvShow prints what a shell has of the .envrc's variables.
const direnvShow = `printf '<%s|%s>\n' "$GOCFG_DIRENV" "$GOCFG_STDLIB"`

// TestOptionsDirenv: on Debian, home.<user>.programs.direnv installs
// direnv (from the local repository) and hooks it into the ~/.bashrc and
// ~/.zshrc that programs.bash and programs.zsh write: as alice, an
// interactive bash at a prompt (and zsh on cd) in a folder whose .envrc
// she allowed has what it exports, through the function direnvrc
// defines; a folder direnv.toml trusts needs no allow. A second switch
// changes nothing; off, the hook lines, the files and the package are
// gone, and bash no longer loads the .envrc.
func TestOptionsDirenv(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-direnv")
	m.UseLocalDebs(t)

	// bashPrompt runs an interactive bash as alice in dir, its commands
	// read from standard input: bash shows a prompt (on stderr, dropped)
	// before each, and runs PROMPT_COMMAND, where direnv's hook is, first.
	bashPrompt := func(t *testing.T, dir string) string {
		t.Helper()
		out, err := m.ExecAs(t, "alice", "sh", "-c", `cd "$1" && printf '%s\n' "$2" | bash -i 2>/dev/null`, "sh", dir, direnvShow)
		if err != nil {
			t.Fatalf("bash -i in %s: %v\n%s", dir, err, out)
		}
		return strings.TrimSpace(out)
	}

	t.Run("switch", func(t *testing.T) {
		out := m.switchTo(t, optionsDirenvConfig)
		wantContains(t, "the switch", out, "packages:install", "direnv",
			"+ file:~alice/.bashrc", "+ file:~alice/.zshrc",
			"+ file:~alice/.config/direnv/direnvrc", "+ file:~alice/.config/direnv/direnv.toml")
		wantEqual(t, "direnv", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "direnv"), "installed")
		for _, f := range []struct{ file, hook string }{
			{"/home/alice/.bashrc", `eval "$(direnv hook bash)"`},
			{"/home/alice/.zshrc", `eval "$(direnv hook zsh)"`},
		} {
			lines := strings.Split(strings.TrimSpace(m.read(t, f.file)), "\n")
			wantEqual(t, "the last line of "+f.file, lines[len(lines)-1], f.hook)
		}

		// alice's .envrc, allowed; before that direnv refuses it.
		m.MustExecAs(t, "alice", "sh", "-c", `mkdir -p ~/proj ~/trusted/app && printf '%s' "$1" > ~/proj/.envrc && printf '%s' "$2" > ~/trusted/app/.envrc`, "sh", direnvEnvrc, direnvTrusted)
		wantEqual(t, "bash before direnv allow", bashPrompt(t, "/home/alice/proj"), "<|>")
		m.MustExecAs(t, "alice", "sh", "-c", "cd ~/proj && direnv allow")

		// bash -ic: what the prompt runs (PROMPT_COMMAND) loads it.
		got := m.MustExecAs(t, "alice", "sh", "-c", `cd ~/proj && bash -ic "$1" 2>/dev/null`, "sh", `eval "$PROMPT_COMMAND"; `+direnvShow)
		wantEqual(t, "bash -ic in ~/proj", strings.TrimSpace(got), "<from .envrc|yes>")
		// A real prompt runs the hook itself.
		wantEqual(t, "bash -i in ~/proj", bashPrompt(t, "/home/alice/proj"), "<from .envrc|yes>")
		// Outside the folder, nothing; under ~/trusted, no allow needed.
		wantEqual(t, "bash -i in ~", bashPrompt(t, "/home/alice"), "<|>")
		wantEqual(t, "bash -i in ~/trusted/app", bashPrompt(t, "/home/alice/trusted/app"), "<trusted|>")
		// zsh: its hook runs on cd (chpwd).
		got = m.MustExecAs(t, "alice", "sh", "-c", `cd && zsh -ic "$1" 2>/dev/null`, "sh", "cd ~/proj; "+direnvShow)
		wantEqual(t, "zsh -ic, cd ~/proj", strings.TrimSpace(got), "<from .envrc|yes>")
	})

	m.secondSwitchIdle(t)

	t.Run("off", func(t *testing.T) {
		out := m.switchTo(t, `users "alice" { shell = "/bin/bash" }

home "alice" {
  programs {
    bash { enable = true }
    zsh { enable = true }
  }
}
`)
		wantContains(t, "the switch", out, "~ file:~alice/.bashrc", "~ file:~alice/.zshrc",
			"- file:~alice/.config/direnv/direnvrc", "- file:~alice/.config/direnv/direnv.toml")
		for _, f := range []string{"/home/alice/.bashrc", "/home/alice/.zshrc"} {
			if s := m.read(t, f); strings.Contains(s, "direnv") {
				t.Errorf("%s still names direnv:\n%s", f, s)
			}
		}
		for _, p := range []string{".config/direnv/direnvrc", ".config/direnv/direnv.toml"} {
			if m.exists(t, "/home/alice/"+p) {
				t.Errorf("~alice/%s is still there", p)
			}
		}
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "direnv").out; got == "installed" {
			t.Error("direnv, which gocfg installed, is still installed")
		}
		wantEqual(t, "bash -i in ~/proj without the hook", bashPrompt(t, "/home/alice/proj"), "<|>")
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch after", out, noChanges)
	})
}
