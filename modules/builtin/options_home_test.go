package builtin_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/modules"
)

func linuxHost(distro string) modules.Host {
	return modules.Host{OS: "linux", Arch: "amd64", Name: "test", User: "alice", Distro: distro}
}

// TestAdminGroup: users.<name>.admin is a membership of the
// distribution's administrators group, declared from the group's side.
func TestAdminGroup(t *testing.T) {
	src := `users "alice" {
  admin = true
}
users "carol" {
  admin  = true
  groups = ["media"]
}
users "bob" {}
`
	tests := []struct {
		host modules.Host
		want string
	}{
		{linuxHost("debian"), `{"sudo": {"members": ["alice", "carol"]}}`},
		{linuxHost("fedora"), `{"wheel": {"members": ["alice", "carol"]}}`},
		{linuxHost("arch"), `{"wheel": {"members": ["alice", "carol"]}}`},
		{darwin, `{"admin": {"members": ["alice", "carol"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.host.Distro+tt.host.OS, func(t *testing.T) {
			got, errs := evalJSON(t, tt.host, src, "groups", "users.carol.groups")
			if errs != "" {
				t.Fatal(errs)
			}
			if !reflect.DeepEqual(got["groups"], decode(t, tt.want)) {
				t.Errorf("groups = %s, want %s", mustJSON(got["groups"]), tt.want)
			}
			// The user's own groups are left as written.
			if !reflect.DeepEqual(got["users.carol.groups"], decode(t, `["media"]`)) {
				t.Errorf("users.carol.groups = %s", mustJSON(got["users.carol.groups"]))
			}
		})
	}

	t.Run("nobody admin: no group declared", func(t *testing.T) {
		got, errs := evalJSON(t, linuxHost("debian"), `users "bob" {}`, "groups")
		if errs != "" {
			t.Fatal(errs)
		}
		if !reflect.DeepEqual(got["groups"], decode(t, `{}`)) {
			t.Errorf("groups = %s, want {}", mustJSON(got["groups"]))
		}
	})

	// "linux": os-release(5)'s default, which host.distro is when the
	// os-release names no ID (never "").
	for _, distro := range []string{"linux", "nixos", "gentoo"} {
		t.Run("unknown "+distro, func(t *testing.T) {
			_, errs := evalJSON(t, linuxHost(distro), src, "")
			// One error for each administrator, at the line that makes
			// them one.
			for _, want := range []string{`host.hcl:2,11-15: Assertion failed; users.alice.admin: gocfg does not know`, `host.distro is "` + distro + `"`, "users.<name>.groups instead", "and 1 other diagnostic(s)"} {
				if !strings.Contains(errs, want) {
					t.Errorf("error %q does not contain %q", errs, want)
				}
			}
		})
		t.Run("unknown "+distro+" without admin", func(t *testing.T) {
			if _, errs := evalJSON(t, linuxHost(distro), `users "bob" {}`, ""); errs != "" {
				t.Errorf("no admin on an unknown distribution: %s", errs)
			}
		})
	}
}

// TestHomeFiles: session_variables and programs.git land in home_files
// with the exact text; nothing when unset.
func TestHomeFiles(t *testing.T) {
	tests := []struct {
		name string
		host modules.Host
		src  string
		want map[string]string // target → text of home_files.alice
	}{
		{
			name: "nothing set",
			host: linuxHost("debian"),
			src:  `home "alice" {}`,
			want: map[string]string{},
		},
		{
			name: "session variables on linux",
			host: linuxHost("debian"),
			src: `home "alice" {
  session_variables = { B = "it's", A = "$x\"\\" }
}`,
			want: map[string]string{
				".config/gocfg/session.sh": "# Written by gocfg from home.alice.session_variables; replaced by every switch.\n" +
					"# Your login shell reads it if your ~/.profile has the line:\n" +
					"#   . \"$HOME/.config/gocfg/session.sh\"\n" +
					"export A='$x\"\\'\n" +
					"export B='it'\\''s'\n",
				".config/environment.d/60-gocfg.conf": "# Written by gocfg from home.alice.session_variables; replaced by every switch.\n" +
					"A=\"\\$\\$x\\\"\\\\\"\n" +
					"B=\"it's\"\n",
			},
		},
		{
			name: "session variables on macos: no environment.d",
			host: darwin,
			src: `home "alice" {
  session_variables = { A = "1" }
}`,
			want: map[string]string{
				".config/gocfg/session.sh": "# Written by gocfg from home.alice.session_variables; replaced by every switch.\n" +
					"# Your login shell reads it if your ~/.profile has the line:\n" +
					"#   . \"$HOME/.config/gocfg/session.sh\"\n" +
					"export A='1'\n",
			},
		},
		{
			name: "session path on macos: the home as $HOME, no environment.d",
			host: darwin,
			src: `home "alice" {
  session_path = ["/opt/a b", "~", "$${HOME}/bin", "~/bin"]
}`,
			want: map[string]string{
				".config/gocfg/session.sh": "# Written by gocfg from home.alice.session_path; replaced by every switch.\n" +
					"# Your login shell reads it if your ~/.profile has the line:\n" +
					"#   . \"$HOME/.config/gocfg/session.sh\"\n" +
					"# session_path: first in PATH, in this order, each once.\n" +
					"__gocfg_path='/opt/a b':\"$HOME\":\"$HOME\"'/bin'\n" +
					"__gocfg_rest=\n" +
					"__gocfg_left=${PATH:+$PATH:}\n" +
					"while [ -n \"$__gocfg_left\" ]; do\n" +
					"  __gocfg_dir=${__gocfg_left%%:*}\n" +
					"  __gocfg_left=${__gocfg_left#*:}\n" +
					"  case \":$__gocfg_path:\" in *\":$__gocfg_dir:\"*) ;; *) __gocfg_rest=$__gocfg_rest:$__gocfg_dir ;; esac\n" +
					"done\n" +
					"export PATH=\"$__gocfg_path$__gocfg_rest\"\n" +
					"unset __gocfg_path __gocfg_rest __gocfg_left __gocfg_dir\n",
			},
		},
		{
			name: "git, minimal",
			host: linuxHost("debian"),
			src: `home "alice" {
  programs {
    git {
      enable     = true
      user_email = "a@example.org"
    }
  }
}`,
			want: map[string]string{
				".config/git/config": "# Written by gocfg from home.alice.programs.git; replaced by every switch.\n[user]\n\temail = a@example.org\n",
			},
		},
		{
			name: "git, everything",
			host: linuxHost("debian"),
			src: `home "alice" {
  programs {
    git {
      enable       = true
      user_name    = "Alice"
      aliases      = { st = "status -sb" }
      ignores      = ["*~"]
      extra_config = { merge = { conflictStyle = "zdiff3" }, includeIf = { "gitdir:~/work/" = { path = "~/work/.gitconfig" } } }
      includes = [
        { path = "wip.inc", condition = "onbranch:wip/*" },
        { path = "~/.config/git/local.inc" },
      ]
      signing {
        key             = "K"
        sign_by_default = true
      }
    }
  }
}`,
			want: map[string]string{
				".config/git/config": "# Written by gocfg from home.alice.programs.git; replaced by every switch.\n" +
					"[alias]\n\tst = status -sb\n[commit]\n\tgpgSign = true\n" +
					"[merge]\n\tconflictStyle = zdiff3\n[tag]\n\tgpgSign = true\n[user]\n\tname = Alice\n\tsigningKey = K\n" +
					// extra_config's includes, then includes in order.
					"[includeIf \"gitdir:~/work/\"]\n\tpath = ~/work/.gitconfig\n" +
					"[includeIf \"onbranch:wip/*\"]\n\tpath = wip.inc\n[include]\n\tpath = ~/.config/git/local.inc\n",
				".config/git/ignore": "*~\n",
			},
		},
		{
			name: "git disabled",
			host: linuxHost("debian"),
			src: `home "alice" {
  programs {
    git {
      enable    = false
      user_name = "Alice"
    }
  }
}`,
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := evalJSON(t, tt.host, tt.src, "home_files")
			if errs != "" {
				t.Fatal(errs)
			}
			files, _ := got["home_files"].(map[string]any)["alice"].(map[string]any)
			texts := map[string]string{}
			for target, f := range files {
				m := f.(map[string]any)
				texts[target] = m["text"].(string)
				if m["method"] != "link" {
					t.Errorf("%s: method %v, want link", target, m["method"])
				}
			}
			if !reflect.DeepEqual(texts, tt.want) {
				t.Errorf("home_files.alice:\n got %q\nwant %q", texts, tt.want)
			}
		})
	}
}

// TestHomeFilesErrors: what the modules refuse.
func TestHomeFilesErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{
			"git key twice",
			`home "alice" {
  programs {
    git {
      enable       = true
      user_email   = "a@x"
      extra_config = { user = { email = "b@x" } }
    }
  }
}`,
			`host.hcl:6,41-46: Assertion failed; home.alice.programs.git.extra_config.user.email: user.email is also set by home.alice.programs.git.user_email: set it in one place.`,
		},
		{
			"git key twice, another case",
			`home "alice" {
  programs {
    git {
      enable       = true
      aliases      = { co = "checkout" }
      extra_config = { Alias = { CO = "commit" } }
    }
  }
}`,
			`host.hcl:6,39-47: Assertion failed; home.alice.programs.git.extra_config.Alias.CO: Alias.CO is also set by home.alice.programs.git.aliases.co: set it in one place.`,
		},
		{
			"git section written as in the file",
			`home "alice" {
  programs {
    git {
      enable       = true
      extra_config = { "includeIf \"gitdir:~/work/\"" = { path = "~/w" } }
    }
  }
}`,
			`host.hcl:5,24-54: Assertion failed; home.alice.programs.git.extra_config."includeIf \"gitdir:~/work/\"": a section name is letters, digits, - and . only, and a subsection is an object inside its section: [includeIf "gitdir:~/work/"] is includeIf = { "gitdir:~/work/" = { ... } }.`,
		},
		{
			"git key name",
			`home "alice" {
  programs {
    git {
      enable       = true
      extra_config = { core = { editor_cmd = "vi" } }
    }
  }
}`,
			`host.hcl:5,46-50: Assertion failed; home.alice.programs.git.extra_config.core.editor_cmd: a git key starts with a letter and holds only letters, digits and -.`,
		},
		{
			"git value nested too deep",
			`home "alice" {
  programs {
    git {
      enable       = true
      extra_config = { url = { "a:" = { insteadOf = { x = 1 } } } }
    }
  }
}`,
			`Assertion failed; home.alice.programs.git.extra_config.url."a:".insteadOf: a value is a string, number, bool or a list of them`,
		},
		{
			"git include without a path",
			`home "alice" {
  programs {
    git {
      enable   = true
      includes = [{ path = "~/a" }, { path = "" }]
    }
  }
}`,
			`host.hcl:5,18-51: Assertion failed; home.alice.programs.git.includes: the path of includes[1] is empty: name the file git reads, such as "~/.config/git/work.inc".`,
		},
		{
			"git include with a condition git does not know",
			`home "alice" {
  programs {
    git {
      enable = true
      includes {
        path      = "~/a"
        condition = "gitDir:~/work/"
      }
    }
  }
}`,
			`host.hcl:5,7-15: Assertion failed; home.alice.programs.git.includes: the condition of includes[0] is not one git knows, and git would skip its file without a word`,
		},
		{
			"generated file in files too",
			`home "alice" {
  files = { ".config/gocfg/session.sh" = { text = "x" } }
  session_variables = { A = "1" }
}`,
			`host.hcl:2,13-39: Assertion failed; home.alice.files.".config/gocfg/session.sh": home.alice.session_variables makes this file too. Remove it from files, or turn off the option that makes it.`,
		},
		{
			"authorized_keys in files too",
			`users "alice" { authorized_keys = ["ssh-ed25519 AAAA a@x"] }
home "alice" {
  files = { ".ssh/authorized_keys" = { text = "x" } }
}`,
			`Assertion failed; home.alice.files.".ssh/authorized_keys": a module (home_files.alice.".ssh/authorized_keys") makes this file too.`,
		},
		{
			"two options' files in files too",
			`home "alice" {
  files = { ".zshrc" = { text = "x" }, ".config/git/config" = { text = "y" } }
  programs {
    zsh { enable = true }
    git { enable = true }
  }
}`,
			`modules make these files too: ~alice/.config/git/config (home.alice.programs.git), ~alice/.zshrc (home.alice.programs.zsh). Remove them from files, or turn off the options that make them.`,
		},
		{
			"session path not absolute",
			`home "alice" {
  session_path = ["/ok", "bin"]
}`,
			`Assertion failed; home.alice.session_path: a folder is an absolute path, or ~/bin or $HOME/bin for one in the home (no other variable is expanded), without a colon: not "bin".`,
		},
		{
			"bad variable name",
			`home "alice" {
  session_variables = { "A B" = "1" }
}`,
			`host.hcl:2,33-36: Assertion failed; home.alice.session_variables."A B": a name is letters, digits and _, not starting with a digit.`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := evalJSON(t, linuxHost("debian"), tt.src, "")
			if !strings.Contains(errs, tt.want) {
				t.Errorf("error %q, want it to contain %q", errs, tt.want)
			}
		})
	}
}
