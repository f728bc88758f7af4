package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/internal/nspawntest"
)

// optionsZshConfig is alice, whose ~/.zshrc gocfg writes with zsh's
// completion system (on by default), zsh-autosuggestions and
// zsh-syntax-highlighting, an init_extra that calls compdef (which only
// compinit defines) and direnv's hook, which syntax highlighting must
// still come after.
const optionsZshConfig = `users "alice" { shell = "/bin/bash" }

home "alice" {
  programs {
    zsh {
      enable     = true
      init_extra = "compdef _gnu_generic hello"
      autosuggestion { enable = true }
      syntax_highlighting { enable = true }
    }
    direnv { enable = true }
  }
}
`

// The lines the options write, and the scripts Debian's packages have
// where they read them.
const (
	zshAutosuggestLine = "source /usr/share/zsh-autosuggestions/zsh-autosuggestions.zsh"
	zshHighlightLine   = "source /usr/share/zsh-syntax-highlighting/zsh-syntax-highlighting.zsh"
)

// zshShow prints, in an interactive zsh, what each option loads: the
// completion system (compdef, and hello's completion that init_extra
// set), zsh-autosuggestions' widgets and zsh-syntax-highlighting's
// function.
const zshShow = `(( $+functions[compdef] )) && print compdef=yes; print "hello=$_comps[hello]"; zle -la | grep '^autosuggest-accept$'; (( $+functions[_zsh_highlight] )) && print highlight=yes`

// zshCompinitCalls matches the lines of `zsh -x` that call compinit.
var zshCompinitCalls = regexp.MustCompile(`(?m)^\+\S+> compinit$`)

// TestOptionsZsh: on Debian, home.<user>.programs.zsh's enable_completion,
// autosuggestion.enable and syntax_highlighting.enable load zsh's
// completion system and the two plugins (installed from the local
// repository) from the ~/.zshrc gocfg writes: an interactive zsh as
// alice has compdef (and init_extra could call it), zsh-autosuggestions'
// widgets and zsh-syntax-highlighting, and starts without an error;
// compinit runs once, on Debian from ~/.zshrc and, where
// /etc/zsh/zshrc runs it (Ubuntu), from there only. A second switch
// changes nothing; off, the lines and the packages are gone.
func TestOptionsZsh(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-zsh")
	m.UseLocalDebs(t)
	for _, p := range []string{"zsh-autosuggestions", "zsh-syntax-highlighting"} {
		if m.run(t, "apt-cache", "show", p).code != 0 {
			nspawntest.Unavailable(t, "e2e", "the local apt repository %s has no %s: add it to DEB_PACKAGES in .ci/rootfs.sh and run that", nspawntest.DebsDir(), p)
		}
	}
	// (The test root file system's dpkg leaves out /usr/share/doc; the
	// plugins' scripts are under /usr/share, outside it.)

	// zsh runs an interactive zsh as alice in her home with the options
	// opts and the command line cmd, and returns what it printed on
	// stdout and on stderr.
	zsh := func(t *testing.T, opts, cmd string) (stdout, stderr string) {
		t.Helper()
		out := m.MustExecAs(t, "alice", "sh", "-c", `cd && zsh $1 -ic "$2" 2>/tmp/zsh-stderr; echo "--- stderr"; cat /tmp/zsh-stderr`, "sh", opts, cmd)
		stdout, stderr, _ = strings.Cut(out, "--- stderr\n")
		return stdout, stderr
	}

	t.Run("switch", func(t *testing.T) {
		out := m.switchTo(t, optionsZshConfig)
		wantContains(t, "the switch", out, "packages:install", "zsh-autosuggestions", "zsh-syntax-highlighting", "+ file:~alice/.zshrc")
		for _, p := range []string{"zsh", "zsh-autosuggestions", "zsh-syntax-highlighting"} {
			wantEqual(t, p, m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", p), "installed")
		}
		zshrc := m.read(t, "/home/alice/.zshrc")
		wantContains(t, "~/.zshrc", zshrc, "autoload -U compinit && compinit\n", zshAutosuggestLine+"\n")
		// Syntax highlighting comes last, after direnv's hook.
		if !strings.HasSuffix(zshrc, "eval \"$(direnv hook zsh)\"\n"+zshHighlightLine+"\n") {
			t.Errorf("~/.zshrc does not end with direnv's hook, then %q:\n%s", zshHighlightLine, zshrc)
		}
		// Completion first, then autosuggestions, then init_extra.
		if c, a, i := strings.Index(zshrc, "compinit"), strings.Index(zshrc, zshAutosuggestLine), strings.Index(zshrc, "compdef _gnu_generic"); c >= a || a >= i {
			t.Errorf("~/.zshrc has compinit, autosuggestions and init_extra out of order:\n%s", zshrc)
		}
		// The package has the file each line reads.
		for _, l := range []string{zshAutosuggestLine, zshHighlightLine} {
			if p := strings.TrimPrefix(l, "source "); !m.exists(t, p) {
				t.Errorf("~/.zshrc reads %s, which the package does not have", p)
			}
		}

		got, errs := zsh(t, "", zshShow)
		wantEqual(t, "what zsh -i has", strings.TrimSpace(got), "compdef=yes\nhello=_gnu_generic\nautosuggest-accept\nhighlight=yes")
		// zsh starts without an error from what gocfg wrote.
		if strings.TrimSpace(errs) != "" {
			t.Errorf("zsh -i printed on stderr:\n%s", errs)
		}
		// compinit runs once, from ~/.zshrc: Debian's /etc/zsh/zshrc
		// does not run it.
		_, trace := zsh(t, "-x", "true")
		calls := zshCompinitCalls.FindAllString(trace, -1)
		if len(calls) != 1 || !strings.HasPrefix(calls[0], "+/home/alice/.zshrc:") {
			t.Errorf("on Debian, compinit ran from %q, want once from ~/.zshrc", calls)
		}
	})

	t.Run("compinit once where the system's zshrc runs it", func(t *testing.T) {
		// /etc/zsh/zshrc runs compinit when /etc/os-release names
		// ubuntu: then ~/.zshrc does not run it again.
		m.MustExec(t, "sh", "-c", `cp /etc/os-release /tmp/os-release.debian && cat /tmp/os-release.debian >/tmp/os-release.ubuntu && echo ID_LIKE=ubuntu >>/tmp/os-release.ubuntu && cat /tmp/os-release.ubuntu >/etc/os-release`)
		defer m.MustExec(t, "sh", "-c", `cat /tmp/os-release.debian >/etc/os-release`)
		_, trace := zsh(t, "-x", "true")
		calls := zshCompinitCalls.FindAllString(trace, -1)
		if len(calls) != 1 || !strings.HasPrefix(calls[0], "+/etc/zsh/zshrc:") {
			t.Errorf("with ID_LIKE=ubuntu, compinit ran from %q, want once from /etc/zsh/zshrc", calls)
		}
		got, _ := zsh(t, "", zshShow)
		wantContains(t, "what zsh -i has", got, "compdef=yes", "hello=_gnu_generic")
	})

	m.secondSwitchIdle(t)

	t.Run("off", func(t *testing.T) {
		out := m.switchTo(t, `users "alice" { shell = "/bin/bash" }

home "alice" {
  programs {
    zsh {
      enable            = true
      enable_completion = false
    }
  }
}
`)
		wantContains(t, "the switch", out, "~ file:~alice/.zshrc")
		if s := m.read(t, "/home/alice/.zshrc"); strings.Contains(s, "compinit") || strings.Contains(s, "source ") {
			t.Errorf("~/.zshrc still loads completion or a plugin:\n%s", s)
		}
		for _, p := range []string{"zsh-autosuggestions", "zsh-syntax-highlighting"} {
			if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", p).out; got == "installed" {
				t.Errorf("%s, which gocfg installed, is still installed", p)
			}
		}
		got, _ := zsh(t, "", zshShow)
		wantEqual(t, "what zsh -i has", strings.TrimSpace(got), "hello=")
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch after", out, noChanges)
	})
}
