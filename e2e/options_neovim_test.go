package e2e

import (
	"strings"
	"testing"
)

// optionsNeovimConfig is programs.neovim with every option, and alice,
// whose ~/.bashrc gocfg writes, with home.<user>.programs.neovim: Vimscript
// that Lua could not hold in [[ ]] and Lua, so gocfg writes init.lua and
// the Vimscript in a file init.lua sources.
const optionsNeovimConfig = `users "alice" { shell = "/bin/bash" }

programs {
  neovim {
    enable         = true
    default_editor = true
    vi_alias       = true
    vim_alias      = true
    configure {
      custom_rc = "let g:gocfg_sys = 'system'\nset shiftwidth=3"
    }
  }
}

home "alice" {
  programs {
    bash { enable = true }
    neovim {
      enable           = true
      default_editor   = true
      vi_alias         = true
      extra_config     = "let g:gocfg_vim = 'vim ]] '' \\ \"'"
      extra_lua_config = "vim.g.gocfg_lua = 'lua'"
    }
  }
}
`

// nvimShow is the Lua that prints what nvim read: the system file's
// variable, the user's Vimscript and Lua ones, and shiftwidth.
const nvimShow = `+lua io.write(tostring(vim.g.gocfg_sys) .. "|" .. tostring(vim.g.gocfg_vim) .. "|" .. tostring(vim.g.gocfg_lua) .. "|" .. vim.o.shiftwidth)`

// TestOptionsNeovim: on Debian, programs.neovim installs neovim (from the
// local repository), writes /etc/xdg/nvim/sysinit.vim, which nvim reads
// as root and as alice, EDITOR=nvim for login shells, and pins the
// alternatives vi and vim to nvim (update-alternatives, from the hook
// of /etc/gocfg/neovim-alternatives); home.<user>.programs.neovim writes
// alice's init.lua, which sources her Vimscript, and her aliases and
// EDITOR and VISUAL in ~/.bashrc. A second switch changes nothing. Off
// (the package kept in environment.system_packages): the files and lines
// are gone, nvim reads nothing of them, and the alternatives are back to
// automatic; with the package gone too, nvim is gone.
func TestOptionsNeovim(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-neovim")
	m.UseLocalDebs(t)

	// nvim runs nvim headless as root (user "") or as user, without a
	// shada file, and returns what nvimShow printed.
	nvim := func(t *testing.T, user string) string {
		t.Helper()
		args := []string{"nvim", "--headless", "-i", "NONE", nvimShow, "+qa"}
		var out string
		var err error
		if user == "" {
			out, err = m.Exec(t, append([]string{"env", "HOME=/root"}, args...)...)
		} else {
			out, err = m.ExecAs(t, user, args...)
		}
		if err != nil {
			t.Fatalf("nvim as %q: %v\n%s", user, err, out)
		}
		return strings.TrimSpace(out)
	}
	// alternative is update-alternatives' Status and Value of name.
	alternative := func(t *testing.T, name string) string {
		t.Helper()
		var got []string
		for _, l := range strings.Split(m.run(t, "update-alternatives", "--query", name).out, "\n") {
			if strings.HasPrefix(l, "Status: ") || strings.HasPrefix(l, "Value: ") {
				got = append(got, l)
			}
		}
		return strings.Join(got, ", ")
	}
	noHookFailed := func(t *testing.T, out string) {
		t.Helper()
		if strings.Contains(out, "on_change") || strings.Contains(out, "warning") {
			t.Errorf("a hook failed, or a warning:\n%s", out)
		}
	}

	t.Run("switch", func(t *testing.T) {
		out := m.switchTo(t, optionsNeovimConfig)
		wantContains(t, "the switch", out, "packages:install", "neovim",
			"+ file:/etc/xdg/nvim/sysinit.vim", "+ file:/etc/gocfg/neovim-alternatives",
			"+ file:~alice/.config/nvim/init.lua", "+ file:~alice/.config/nvim/gocfg-extra-config.vim",
			"+ file:~alice/.config/environment.d/70-gocfg-neovim.conf")
		noHookFailed(t, out)
		wantEqual(t, "neovim", m.out(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "neovim"), "installed")

		// nvim reads the system file as root (who has no init of her own)
		// and as alice, then her init.lua, which sources her Vimscript.
		wantEqual(t, "nvim as root", nvim(t, ""), "system|nil|nil|3")
		wantEqual(t, "nvim as alice", nvim(t, "alice"), `system|vim ]] ' \ "|lua|3`)

		// vi and vim: Debian's alternatives, pinned to nvim.
		for _, name := range []string{"vi", "vim"} {
			wantEqual(t, "update-alternatives --query "+name, alternative(t, name), "Status: manual, Value: /usr/bin/nvim")
		}
		wantEqual(t, "vi as alice", strings.TrimSpace(m.MustExecAs(t, "alice", "vi", "--headless", "-i", "NONE", nvimShow, "+qa")), `system|vim ]] ' \ "|lua|3`)

		// EDITOR for every login shell; alice's interactive bash has her
		// alias and both variables.
		wantEqual(t, "EDITOR of a login sh as root", m.out(t, "env", "-u", "EDITOR", "sh", "-lc", `printf '%s' "$EDITOR"`), "nvim")
		got := m.MustExecAs(t, "alice", "sh", "-c", `cd && bash -ic "$1" 2>/dev/null`, "sh", `alias vi; printf '%s/%s\n' "$EDITOR" "$VISUAL"`)
		wantEqual(t, "alice's bash -i", strings.TrimSpace(got), "alias vi='nvim'\nnvim/nvim")
	})

	m.secondSwitchIdle(t)

	t.Run("off", func(t *testing.T) {
		// The package stays (the user's own list): the hook puts the
		// alternatives back to automatic.
		out := m.switchTo(t, `users "alice" { shell = "/bin/bash" }

environment { system_packages = ["neovim"] }

home "alice" {
  programs {
    bash { enable = true }
  }
}
`)
		wantContains(t, "the switch", out, "- file:/etc/xdg/nvim/sysinit.vim", "- file:/etc/gocfg/neovim-alternatives",
			"- file:~alice/.config/nvim/init.lua", "- file:~alice/.config/nvim/gocfg-extra-config.vim",
			"- file:~alice/.config/environment.d/70-gocfg-neovim.conf", "~ file:~alice/.bashrc")
		noHookFailed(t, out)
		for _, p := range []string{"/etc/xdg/nvim", "/etc/gocfg", "/etc/profile.d/gocfg-variables.sh", "/home/alice/.config/nvim", "/home/alice/.config/environment.d/70-gocfg-neovim.conf"} {
			if m.exists(t, p) {
				t.Errorf("%s is still there", p)
			}
		}
		wantEqual(t, "nvim as root", nvim(t, ""), "nil|nil|nil|8")
		wantEqual(t, "nvim as alice", nvim(t, "alice"), "nil|nil|nil|8")
		for _, name := range []string{"vi", "vim"} {
			wantEqual(t, "update-alternatives --query "+name, alternative(t, name), "Status: auto, Value: /usr/bin/nvim")
		}
		if s := m.read(t, "/home/alice/.bashrc"); strings.Contains(s, "nvim") {
			t.Errorf("~alice/.bashrc still names nvim:\n%s", s)
		}
		wantEqual(t, "EDITOR of a login sh as root", m.out(t, "env", "-u", "EDITOR", "sh", "-lc", `printf '%s' "$EDITOR"`), "")

		// The package gone too (gocfg installed it): nvim, vi and vim
		// with it.
		out = m.switchTo(t, `users "alice" { shell = "/bin/bash" }
`)
		wantContains(t, "the switch", out, "packages:remove", "neovim")
		noHookFailed(t, out)
		if got := m.run(t, "dpkg-query", "-W", "-f", "${db:Status-Status}", "neovim").out; got == "installed" {
			t.Error("neovim, which gocfg installed, is still installed")
		}
		for _, p := range []string{"/usr/bin/nvim", "/usr/bin/vi", "/usr/bin/vim"} {
			if m.exists(t, p) {
				t.Errorf("%s is still there", p)
			}
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the switch after", out, noChanges)
	})
}
