package e2e

import (
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

// optionsFzfConfig is alice, whose ~/.bashrc and ~/.zshrc gocfg writes,
// with fzf: --exact in FZF_DEFAULT_OPTS, with a prompt that needs
// quoting, and options of her own for Ctrl-R.
const optionsFzfConfig = `users "alice" { shell = "/bin/bash" }

home "alice" {
  programs {
    bash { enable = true }
    zsh { enable = true }
    fzf {
      enable                 = true
      default_command        = "printf '%s\\n' one two"
      default_options        = ["--exact", "--prompt='it''s> '"]
      history_widget_options = ["--sort"]
    }
  }
}
`

// fzfWantOpts is FZF_DEFAULT_OPTS as optionsFzfConfig sets it.
const fzfWantOpts = "<--exact --prompt='it''s> '>"

// fzfShow prints what a shell has of fzf's variables.
const fzfShow = `printf '<%s>\n' "$FZF_DEFAULT_OPTS" "$FZF_DEFAULT_COMMAND" "$FZF_CTRL_R_OPTS"`

// What Debian's fzf 0.38 binds in bash (bind -X lists the bindings to
// shell commands, bind -s the macros) and zsh (bindkey KEY), and the
// completion its completion.bash sets up for kill.
var (
	fzfBashBindings = []string{
		`"\C-t": "fzf-file-widget"`,
		`"\C-r": "__fzf_history__"`,
		`"\ec": " \C-b\C-k \C-u` + "`__fzf_cd__`",
		"-F _fzf_proc_completion kill",
	}
	fzfZshBindings = []string{
		`"^T" fzf-file-widget`,
		`"^R" fzf-history-widget`,
		`"^[c" fzf-cd-widget`,
		`"^I" fzf-completion`,
	}
)

// The commands that print them.
const (
	fzfBashList = `bind -X; bind -s; complete -p kill`
	fzfZshList  = `bindkey '^T'; bindkey '^R'; bindkey '\ec'; bindkey '^I'`
)

// TestOptionsFzf: on Debian, home.<user>.programs.fzf installs fzf (from
// the local repository) and loads its key bindings and completion into
// the ~/.bashrc and ~/.zshrc that programs.bash and programs.zsh write:
// as alice, an interactive bash and zsh have Ctrl-T, Ctrl-R and Alt-C
// bound to fzf's widgets and fzf's completion, start without an error,
// and have FZF_DEFAULT_OPTS, which fzf run from them obeys. A second
// switch changes nothing; off, the lines and the package are gone, and
// the shells have neither the bindings nor the variables.
func TestOptionsFzf(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-fzf")
	m.UseLocalDebs(t)
	if m.run(t, "apt-cache", "show", "fzf").code != 0 {
		nspawntest.Unavailable(t, "e2e", "the local apt repository %s has no fzf: add it to DEB_PACKAGES in .ci/rootfs.sh and run that", nspawntest.DebsDir())
	}
	// A Debian system installs /usr/share/doc, where fzf keeps its
	// key-binding scripts; the test root file system tells dpkg to leave
	// it out (.ci/rootfs.sh), which would leave fzf without them.
	m.MustExec(t, "rm", "/etc/dpkg/dpkg.cfg.d/gocfg-test-nodoc")

	// shell runs an interactive shell (bash or zsh) as alice in her home
	// with the command line cmd, and returns what it printed on stdout
	// and on stderr.
	shell := func(t *testing.T, sh, cmd string) (stdout, stderr string) {
		t.Helper()
		out := m.MustExecAs(t, "alice", "sh", "-c", `cd && "$1" -ic "$2" 2>/tmp/fzf-stderr; echo "--- stderr"; cat /tmp/fzf-stderr`, "sh", sh, cmd)
		stdout, stderr, _ = strings.Cut(out, "--- stderr\n")
		return stdout, stderr
	}

	t.Run("switch", func(t *testing.T) {
		out := m.switchTo(t, optionsFzfConfig)
		wantContains(t, "the switch", out, "packages:install", "fzf", "+ file:~alice/.bashrc", "+ file:~alice/.zshrc")
		wantEqual(t, "fzf", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "fzf"), "installed")
		for _, f := range []struct{ file, line string }{
			{"/home/alice/.bashrc", ". /usr/share/doc/fzf/examples/key-bindings.bash"},
			{"/home/alice/.bashrc", ". /usr/share/bash-completion/completions/fzf"},
			{"/home/alice/.zshrc", ". /usr/share/doc/fzf/examples/key-bindings.zsh"},
			{"/home/alice/.zshrc", ". /usr/share/doc/fzf/examples/completion.zsh"},
		} {
			wantContains(t, f.file, m.read(t, f.file), f.line)
			// The package has the file the line reads.
			if p := strings.TrimPrefix(f.line, ". "); !m.exists(t, p) {
				t.Errorf("%s reads %s, which fzf does not have", f.file, p)
			}
		}

		for _, sh := range []struct {
			name, list string
			want       []string
		}{
			{"bash", fzfBashList, fzfBashBindings},
			{"zsh", fzfZshList, fzfZshBindings},
		} {
			got, errs := shell(t, sh.name, sh.list)
			wantContains(t, sh.name+"'s key bindings and completion", got, sh.want...)
			// The shell starts without an error from what gocfg wrote.
			for _, bad := range []string{"fzf", "such file", "not found"} {
				if strings.Contains(errs, bad) {
					t.Errorf("%s -i printed on stderr:\n%s", sh.name, errs)
					break
				}
			}
			got, _ = shell(t, sh.name, fzfShow)
			wantEqual(t, sh.name+"'s FZF_* variables", strings.TrimSpace(got), fzfWantOpts+"\n<printf '%s\\n' one two>\n<--sort>")
		}
		// fzf run from the shell obeys FZF_DEFAULT_OPTS: --exact, so
		// "axbxc" does not match "abc".
		got, _ := shell(t, "bash", `printf 'abc\naxbxc\n' | fzf --filter abc`)
		wantEqual(t, "fzf --filter abc in bash", strings.TrimSpace(got), "abc")
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
		wantContains(t, "the switch", out, "~ file:~alice/.bashrc", "~ file:~alice/.zshrc")
		for _, f := range []string{"/home/alice/.bashrc", "/home/alice/.zshrc"} {
			if s := m.read(t, f); strings.Contains(s, "fzf") || strings.Contains(s, "FZF") {
				t.Errorf("%s still names fzf:\n%s", f, s)
			}
		}
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "fzf").out; got == "installed" {
			t.Error("fzf, which gocfg installed, is still installed")
		}
		for _, sh := range []struct{ name, list string }{{"bash", fzfBashList}, {"zsh", fzfZshList}} {
			got, _ := shell(t, sh.name, sh.list+"; "+fzfShow)
			if strings.Contains(got, "fzf") {
				t.Errorf("%s still has fzf's bindings or completion:\n%s", sh.name, got)
			}
			if !strings.HasSuffix(strings.TrimSpace(got), "<>\n<>\n<>") {
				t.Errorf("%s still has fzf's variables:\n%s", sh.name, got)
			}
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch after", out, noChanges)
	})
}
