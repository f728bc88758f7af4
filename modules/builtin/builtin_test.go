package builtin_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules"
	"github.com/gocfg/gocfg/modules/builtin"
	"github.com/gocfg/gocfg/modules/plistval"
	"github.com/zclconf/go-cty/cty"
)

// darwin is the host the tests evaluate for unless a case says otherwise.
var darwin = modules.Host{OS: "darwin", Arch: "arm64", Name: "test", User: "alice"}

// evalJSON loads src as the entry module and returns the decoded JSON of
// every path, or the text of the diagnostics when loading or evaluating
// failed.
func evalJSON(t *testing.T, host modules.Host, src string, paths ...string) (map[string]any, string) {
	t.Helper()
	entry := writeModule(t, src)
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: host})
	if diags.HasErrors() {
		return nil, diags.Error()
	}
	out := map[string]any{}
	for _, p := range paths {
		js, diags := ev.JSON(p)
		if diags.HasErrors() {
			return nil, diags.Error()
		}
		var v any
		if err := json.Unmarshal(js, &v); err != nil {
			t.Fatalf("JSON of %s: %v\n%s", p, err, js)
		}
		out[p] = v
	}
	return out, ""
}

func writeModule(t *testing.T, src string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "host.hcl")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// decode turns a JSON literal of a test case into the value
// encoding/json gives for it.
func decode(t *testing.T, js string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("bad expected JSON %s: %v", js, err)
	}
	return v
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

const (
	pamTid      = "auth       sufficient     pam_tid.so"
	pamReattach = "auth       optional       /opt/homebrew/lib/pam/pam_reattach.so"
)

// TestMapping checks that the convenience options land on the primitive
// options the appliers read, with the right values and plist types.
func TestMapping(t *testing.T) {
	tests := []struct {
		name string
		src  string
		path string
		want string // JSON of the value at path
	}{
		{
			name: "dock autohide",
			src:  `macos = { dock = { autohide = true } }`,
			path: `macos.defaults."com.apple.dock"`,
			want: `{"autohide": true}`,
		},
		{
			name: "dock fractional and integer keys",
			src: `macos {
  dock {
    autohide_delay         = 0.5
    autohide_time_modifier = 0
    tile_size              = 48
    orientation            = "left"
    show_recents           = false
    auto_rearrange_spaces  = false
  }
}`,
			path: `macos.defaults."com.apple.dock"`,
			want: `{"autohide-delay": 0.5, "autohide-time-modifier": 0, "tilesize": 48, "orientation": "left", "show-recents": false, "mru-spaces": false}`,
		},
		{
			name: "dock hot corners map to action numbers",
			src:  `macos = { dock = { hot_corner_top_left = "lock_screen", hot_corner_bottom_right = "disabled" } }`,
			path: `macos.defaults."com.apple.dock"`,
			want: `{"wvous-tl-corner": 13, "wvous-br-corner": 1}`,
		},
		{
			name: "object constructor form",
			src:  `macos = { dock = { show_process_indicators = true } }`,
			path: `macos.defaults."com.apple.dock"`,
			want: `{"show-process-indicators": true}`,
		},
		{
			name: "no convenience option set defines no domain",
			src:  ``,
			path: `macos.defaults`,
			want: `{}`,
		},
		{
			name: "only domains with a set option appear",
			src:  `macos = { finder = { show_path_bar = true } }`,
			path: `macos.defaults`,
			want: `{"com.apple.finder": {"ShowPathbar": true}}`,
		},
		{
			name: "finder codes",
			src: `macos {
  finder {
    preferred_view_style     = "list"
    default_search_scope     = "current_folder"
    show_posix_path_in_title = true
    show_all_files           = true
    sort_folders_first       = true
  }
}`,
			path: `macos.defaults."com.apple.finder"`,
			want: `{"FXPreferredViewStyle": "Nlsv", "FXDefaultSearchScope": "SCcf", "_FXShowPosixPathInTitle": true, "AppleShowAllFiles": true, "_FXSortFoldersFirst": true}`,
		},
		{
			name: "finder new window path implies other",
			src:  `macos = { finder = { new_window_target_path = "/Users/alice/src" } }`,
			path: `macos.defaults."com.apple.finder"`,
			want: `{"NewWindowTarget": "PfLo", "NewWindowTargetPath": "file:///Users/alice/src"}`,
		},
		{
			name: "finder new window target",
			src:  `macos = { finder = { new_window_target = "home" } }`,
			path: `macos.defaults."com.apple.finder"`,
			want: `{"NewWindowTarget": "PfHm"}`,
		},
		{
			name: "global domain",
			src: `macos {
  global {
    natural_scrolling    = false
    key_repeat           = 2
    initial_key_repeat   = 15
    trackpad_speed       = 1.5
    full_keyboard_access = true
    tap_to_click         = true
    expand_save_panel    = true
    interface_style      = "Dark"
    sidebar_icon_size    = "small"
  }
}`,
			path: `macos.defaults.NSGlobalDomain`,
			want: `{
  "com.apple.swipescrolldirection": false,
  "KeyRepeat": 2,
  "InitialKeyRepeat": 15,
  "com.apple.trackpad.scaling": 1.5,
  "AppleKeyboardUIMode": 3,
  "com.apple.mouse.tapBehavior": 1,
  "NSNavPanelExpandedStateForSaveMode": true,
  "NSNavPanelExpandedStateForSaveMode2": true,
  "AppleInterfaceStyle": "Dark",
  "NSTableViewDefaultSizeMode": 1
}`,
		},
		{
			name: "global bool to integer false",
			src:  `macos = { global = { full_keyboard_access = false, tap_to_click = false } }`,
			path: `macos.defaults.NSGlobalDomain`,
			want: `{"AppleKeyboardUIMode": 0, "com.apple.mouse.tapBehavior": 0}`,
		},
		{
			name: "trackpad writes both domains",
			src:  `macos = { trackpad = { tap_to_click = true, click_pressure = "light", silent_clicking = true } }`,
			path: `macos.defaults`,
			want: `{
  "com.apple.AppleMultitouchTrackpad": {"Clicking": true, "FirstClickThreshold": 0, "ActuationStrength": 0},
  "com.apple.driver.AppleBluetoothMultitouch.trackpad": {"Clicking": true, "FirstClickThreshold": 0, "ActuationStrength": 0}
}`,
		},
		{
			name: "screencapture",
			src: `macos {
  screencapture {
    location       = "~/Pictures/Screenshots"
    format         = "png"
    disable_shadow = true
    show_thumbnail = false
    include_date   = true
  }
}`,
			path: `macos.defaults."com.apple.screencapture"`,
			want: `{"location": "~/Pictures/Screenshots", "type": "png", "disable-shadow": true, "show-thumbnail": false, "include-date": true}`,
		},
		{
			name: "own keys merge with convenience keys",
			src: `macos {
  dock { autohide = true }
  defaults "com.apple.dock" { tilesize = 36 }
}`,
			path: `macos.defaults."com.apple.dock"`,
			want: `{"autohide": true, "tilesize": 36}`,
		},
		{
			name: "force in macos.defaults wins over a convenience option",
			src: `macos {
  dock { autohide = true }
  defaults = { "com.apple.dock" = { autohide = force(false) } }
}`,
			path: `macos.defaults."com.apple.dock".autohide`,
			want: `false`,
		},
		{
			name: "default in macos.defaults yields to a convenience option",
			src: `macos {
  dock { autohide = true }
  defaults "com.apple.dock" { autohide = default(false) }
}`,
			path: `macos.defaults."com.apple.dock".autohide`,
			want: `true`,
		},
		{
			name: "key mapping needs enable_key_mapping",
			src:  `macos = { keyboard = { remap_caps_lock_to_escape = true } }`,
			path: `macos.keyboard.user_key_mapping`,
			want: `[]`,
		},
		{
			name: "caps lock to escape",
			src: `macos {
  keyboard {
    enable_key_mapping        = true
    remap_caps_lock_to_escape = true
  }
}`,
			path: `macos.keyboard.user_key_mapping`,
			want: `[{"src": 30064771129, "dst": 30064771113}]`,
		},
		{
			name: "caps lock to control",
			src: `macos {
  keyboard {
    enable_key_mapping         = true
    remap_caps_lock_to_control = true
  }
}`,
			path: `macos.keyboard.user_key_mapping`,
			want: `[{"src": 30064771129, "dst": 30064771296}]`,
		},
		{
			name: "swap command and option is two entries, after the user's own",
			src: `macos {
  keyboard {
    enable_key_mapping             = true
    swap_left_command_and_left_alt = true
    user_key_mapping {
      src = 1
      dst = 2
    }
  }
}`,
			path: `macos.keyboard.user_key_mapping`,
			want: `[{"src": 30064771299, "dst": 30064771298}, {"src": 30064771298, "dst": 30064771299}, {"src": 1, "dst": 2}]`,
		},
		{
			name: "touch id off writes no pam file",
			src:  ``,
			path: `environment.etc`,
			want: `{}`,
		},
		{
			name: "primary user defaults to the invoking user",
			src:  ``,
			path: `macos.primary_user`,
			want: `"alice"`,
		},
		{
			name: "primitive defaults",
			src:  ``,
			path: `environment`,
			want: `{"system_packages": [], "package_manager": "auto", "etc": {}, "variables": {}}`,
		},
		{
			name: "user defaults",
			src:  `users "bob" { shell = "/bin/zsh" }`,
			path: `users.bob`,
			want: `{"shell": "/bin/zsh", "groups": [], "create_home": true, "is_hidden": false, "admin": false, "authorized_keys": []}`,
		},
		{
			name: "group defaults",
			src:  `groups "dev" { gid = 1500 }`,
			path: `groups.dev`,
			want: `{"gid": 1500, "members": []}`,
		},
		{
			name: "etc file defaults",
			src:  `environment = { etc = { motd = { text = "hello" } } }`,
			path: `environment.etc.motd`,
			want: `{"text": "hello", "user": "root", "method": "link"}`,
		},
		{
			name: "system service defaults",
			src:  `systemd = { services = { hello = { exec_start = "/usr/bin/hello" } } }`,
			path: `systemd.services.hello`,
			want: `{
  "description": "", "after": [], "wants": [], "requires": [], "wanted_by": [],
  "exec_start": "/usr/bin/hello", "exec_start_pre": [], "type": "simple", "restart": "no",
  "environment": {}, "enable": true, "restart_if_changed": true, "reload_if_changed": false,
  "restart_triggers": [], "reload_triggers": [],
  "stop_on_removal": true, "unit_config": {}, "service_config": {}, "install_config": {}
}`,
		},
		{
			name: "system timer defaults",
			src:  `systemd = { timers = { backup = { on_calendar = "daily" } } }`,
			path: `systemd.timers.backup`,
			want: `{
  "description": "", "on_calendar": "daily", "persistent": false, "wanted_by": ["timers.target"],
  "enable": true, "timer_config": {}, "unit_config": {}, "install_config": {}
}`,
		},
		{
			name: "home file defaults",
			src:  `home = { alice = { files = { ".zshrc" = { text = "export EDITOR=vi" } } } }`,
			path: `home.alice.files.".zshrc"`,
			want: `{"text": "export EDITOR=vi", "recursive": false, "method": "link", "force": false}`,
		},
		{
			name: "home user services",
			src: `home "alice" {
  systemd {
    services "sync" {
      exec_start = "/usr/bin/sync-things"
      wanted_by  = ["default.target"]
    }
  }
}`,
			path: `home.alice.systemd.services.sync.wanted_by`,
			want: `["default.target"]`,
		},
		{
			name: "home user timers",
			src:  `home = { alice = { systemd = { timers = { sync = { on_calendar = "hourly" } } } } }`,
			path: `home.alice.systemd.timers.sync.on_calendar`,
			want: `"hourly"`,
		},
		{
			name: "launchd agent",
			src: `macos {
  launchd {
    agents "org.example.sync" {
      program_arguments = ["/usr/local/bin/sync", "--quiet"]
      run_at_load       = true
      extra             = { StartInterval = 3600 }
    }
  }
}`,
			path: `macos.launchd.agents."org.example.sync"`,
			want: `{"program_arguments": ["/usr/local/bin/sync", "--quiet"], "run_at_load": true, "environment": {}, "extra": {"StartInterval": 3600}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := evalJSON(t, darwin, tt.src, tt.path)
			if errs != "" {
				t.Fatalf("evaluation failed:\n%s", errs)
			}
			if want := decode(t, tt.want); !reflect.DeepEqual(got[tt.path], want) {
				t.Errorf("%s\n got: %s\nwant: %s", tt.path, mustJSON(got[tt.path]), mustJSON(want))
			}
		})
	}
}

// TestTouchID checks the pam.d/sudo_local file of macos.touch_id_sudo.
func TestTouchID(t *testing.T) {
	const path = `environment.etc."pam.d/sudo_local"`
	tests := []struct {
		name  string
		src   string
		lines []string // lines that must appear, in this order
		not   []string // text that must not appear
	}{
		{
			name:  "touch id",
			src:   `macos { touch_id_sudo = true }`,
			lines: []string{pamTid},
			not:   []string{"pam_reattach"},
		},
		{
			name:  "reattach comes first",
			src:   `macos = { touch_id_sudo = true, touch_id_sudo_reattach = true }`,
			lines: []string{pamReattach, pamTid},
		},
		{
			name: "reattach path",
			src: `macos {
  touch_id_sudo               = true
  touch_id_sudo_reattach      = true
  touch_id_sudo_reattach_path = "/usr/local/lib/pam/pam_reattach.so"
}`,
			lines: []string{"auth       optional       /usr/local/lib/pam/pam_reattach.so", pamTid},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := evalJSON(t, darwin, tt.src, path)
			if errs != "" {
				t.Fatalf("evaluation failed:\n%s", errs)
			}
			file, _ := got[path].(map[string]any)
			text, _ := file["text"].(string)
			at := -1
			lines := strings.Split(text, "\n")
			for _, want := range tt.lines {
				i := indexOf(lines, want)
				if i < 0 {
					t.Fatalf("line %q missing from:\n%s", want, text)
				}
				if i < at {
					t.Errorf("line %q out of order in:\n%s", want, text)
				}
				at = i
			}
			for _, bad := range tt.not {
				if strings.Contains(text, bad) {
					t.Errorf("%q should not appear in:\n%s", bad, text)
				}
			}
			if file["method"] != "copy" || file["user"] != "root" || file["group"] != "wheel" {
				t.Errorf("sudo_local should be a root:wheel copy, got %s", mustJSON(file))
			}
		})
	}
}

func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

// TestErrors checks conflicts and the assertions of the built-in modules.
func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // text the diagnostics must contain
	}{
		{
			name: "plain values conflict",
			src: `macos {
  dock { autohide = true }
  defaults "com.apple.dock" { autohide = false }
}`,
			want: "autohide",
		},
		{
			name: "host name is RFC 1123",
			src:  `networking { host_name = "not_a_host!" }`,
			want: "RFC 1123",
		},
		{
			name: "tmpfiles rules are tmpfiles.d lines",
			src:  `systemd = { tmpfiles = { rules = ["d /var/lib/x 0750 root root -", "garbage", "# a comment", "L+ %h/.cache - - - - /tmp", "d /a\nf /etc/evil"] } }`,
			want: "not a tmpfiles.d line (rules 2, 5, counting from 1)",
		},
		{
			name: "local host name has no dots",
			src:  `networking { local_host_name = "atlas.local" }`,
			want: "local_host_name",
		},
		{
			name: "enum values are checked",
			src:  `macos = { dock = { orientation = "top" } }`,
			want: "top",
		},
		{
			name: "bool options refuse strings",
			src:  `macos = { dock = { autohide = "yes" } }`,
			want: "autohide",
		},
		{
			name: "int options refuse fractions",
			src:  `macos = { dock = { tile_size = 47.5 } }`,
			want: "tile_size",
		},
		{
			name: "tile size range",
			src:  `macos = { dock = { tile_size = 200 } }`,
			want: "between 16 and 128",
		},
		{
			name: "caps lock remapped twice",
			src: `macos {
  keyboard {
    enable_key_mapping         = true
    remap_caps_lock_to_escape  = true
    remap_caps_lock_to_control = true
  }
}`,
			want: "Caps Lock",
		},
		{
			name: "etc file needs text or source",
			src:  `environment = { etc = { motd = { mode = "0600" } } }`,
			want: "motd",
		},
		{
			name: "home file with text and source",
			src:  `home = { alice = { files = { ".vimrc" = { text = "set nu", source = "./vimrc" } } } }`,
			want: ".vimrc",
		},
		{
			name: "launchd job without program",
			src:  `macos = { launchd = { daemons = { "org.example.nothing" = { run_at_load = true } } } }`,
			want: "org.example.nothing",
		},
		{
			name: "finder other needs a path",
			src:  `macos = { finder = { new_window_target = "other" } }`,
			want: "new_window_target_path",
		},
		{
			name: "authorized key with a newline",
			src:  `users "alice" { authorized_keys = ["ssh-ed25519 AAAA a@b", "ssh-ed25519 BBBB a@b\nssh-ed25519 CCCC a@b"] }`,
			want: "host.hcl:1,35-105: Assertion failed; users.alice.authorized_keys: one key per item",
		},
		{
			name: "blank authorized key",
			src: `users "alice" { authorized_keys = ["ssh-ed25519 AAAA a@b"] }
users "bob" { authorized_keys = ["  "] }`,
			want: "host.hcl:2,33-39: Assertion failed; users.bob.authorized_keys: one key per item",
		},
		// A built-in assert points at the user's line that sets the value
		// at fault, and names it.
		{
			name: "sudo rule without a command",
			src: `security {
  sudo { extra_rules = [{ users = ["alice"], commands = ["ALL"] }, { groups = ["ops"] }] }
}`,
			want: "host.hcl:2,24-89: Assertion failed; security.sudo.extra_rules: each rule names at least one user or group, and at least one command (not rule 2, counting from 1).",
		},
		{
			name: "firewall interface name",
			src:  `networking = { firewall = { trusted_interfaces = ["wg0", "a b"] } }`,
			want: `host.hcl:1,50-64: Assertion failed; networking.firewall.trusted_interfaces: interface names such as wg0 (at most 15 letters, digits and _.:@+-), not "a b".`,
		},
		{
			name: "ssh port out of range",
			src:  `services = { openssh = { ports = [22, 0] } }`,
			want: "host.hcl:1,34-41: Assertion failed; services.openssh.ports: at least one port, each from 1 to 65535 (not 0).",
		},
		{
			name: "user unit with a user",
			src:  `home = { alice = { systemd = { services = { s = { user = "root" } } } } }`,
			want: "host.hcl:1,58-64: Assertion failed; home.alice.systemd.services.s.user: user and group do not apply to user units",
		},
		{
			name: "launchd job without program, at its label",
			src:  `macos = { launchd = { agents = { "org.example.a" = { run_at_load = true } } } }`,
			want: `host.hcl:1,34-49: Assertion failed; macos.launchd.agents."org.example.a": set program_arguments (or extra.Program).`,
		},
		{
			name: "tile size, at its line",
			src:  `macos = { dock = { tile_size = 200 } }`,
			want: "host.hcl:1,32-35: Assertion failed; macos.dock.tile_size: must be between 16 and 128.",
		},
		{
			name: "age secret without its file",
			src:  `age = { secrets = { tok = { path = "/etc/tok" } } }`,
			want: `host.hcl:1,21-24: Assertion failed; age.secrets.tok: file is not set`,
		},
		{
			name: "a user's age secret without its file",
			src:  `home = { alice = { age = { secrets = { k = {} } } } }`,
			want: `host.hcl:1,40-41: Assertion failed; home.alice.age.secrets.k: file is not set`,
		},
		{
			name: "key mapping without dst",
			src:  `macos = { keyboard = { user_key_mapping = [{ src = 1, dst = 2 }, { src = 1 }] } }`,
			want: "host.hcl:1,43-78: Assertion failed; macos.keyboard.user_key_mapping: each mapping sets both src and dst (not mapping 2, counting from 1).",
		},
		{
			name: "a bad locale, at the option it comes from",
			src: `i18n {
  default_locale        = "de_DE"
  extra_locale_settings = { LC_TIME = "en_GB.UTF-8", LC_PAPER = "en US.UTF-8" }
}`,
			want: `host.hcl:2,27-34: Assertion failed; i18n.default_locale: not a locale name ending in .UTF-8 (such as de_DE.UTF-8), nor a name and a character set (such as "de_DE ISO-8859-1"): de_DE, en US.UTF-8., and 3 other diagnostic(s)`, // the others: LC_PAPER twice, and the macOS warning
		},
		{
			name: "negative zsh history",
			src:  `home = { alice = { programs = { zsh = { enable = true, history = { size = -1 } } } } }`,
			want: "host.hcl:1,75-77: Assertion failed; home.alice.programs.zsh.history.size: must not be negative.",
		},
		{
			name: "sshd setting that is not a keyword",
			src:  `services = { openssh = { settings = { "Pass word" = "no" } } }`,
			want: `host.hcl:1,53-57: Assertion failed; services.openssh.settings."Pass word": not an sshd_config keyword such as PasswordAuthentication.`,
		},
		{
			name: "undeclared convenience option",
			src:  `macos = { dock = { autohid = true } }`,
			want: "autohide",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := evalJSON(t, darwin, tt.src, "")
			if errs == "" {
				t.Fatalf("evaluation succeeded, want an error containing %q", tt.want)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("error does not contain %q:\n%s", tt.want, errs)
			}
		})
	}
}

// TestLinuxHost checks that the macOS modules evaluate on Linux too, so a
// configuration shared by both can set them.
func TestLinuxHost(t *testing.T) {
	linux := modules.Host{OS: "linux", Arch: "amd64", Name: "test", User: "alice"}
	src := `
networking {
  host_name = "atlas"
}
macos {
  dock {
    autohide = true
  }
}
systemd {
  services "hello" {
    exec_start = "/usr/bin/hello"
  }
}
`
	got, errs := evalJSON(t, linux, src, "networking.host_name", `macos.defaults."com.apple.dock".autohide`)
	if errs != "" {
		t.Fatalf("evaluation failed:\n%s", errs)
	}
	if got["networking.host_name"] != "atlas" || got[`macos.defaults."com.apple.dock".autohide`] != true {
		t.Errorf("got %s", mustJSON(got))
	}
}

// TestLinuxHostNameLength checks the Linux limit of 64 bytes on a host
// name (HOST_NAME_MAX), which RFC 1123's 253 allows past, and that macOS
// keeps RFC 1123's.
func TestLinuxHostNameLength(t *testing.T) {
	long := strings.Repeat("x", 60) + "." + strings.Repeat("y", 60)
	fits := strings.Repeat("x", 30) + "." + strings.Repeat("y", 33)
	tests := []struct {
		name, os, host, want string // want: text of the error, "" for none
	}{
		{"121 characters on Linux", "linux", long, "Linux keeps at most 64 characters of a host name, and this one has 121"},
		{"64 characters on Linux", "linux", fits, ""},
		{"121 characters on macOS", "darwin", long, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := modules.Host{OS: tt.os, Arch: "amd64", Name: "test", User: "alice"}
			_, errs := evalJSON(t, host, `networking { host_name = "`+tt.host+`" }`, "")
			switch {
			case tt.want == "" && errs != "":
				t.Errorf("%d characters: %s", len(tt.host), errs)
			case tt.want != "" && !strings.Contains(errs, tt.want):
				t.Errorf("%d characters: errors %q, want %q", len(tt.host), errs, tt.want)
			}
		})
	}
}

// TestPlistTypes checks that fractional preference values are <real>, even
// when integral, and that integer options stay <integer>.
func TestPlistTypes(t *testing.T) {
	src := `macos {
  dock {
    autohide_delay = 0
    tile_size      = 48
  }
  global { trackpad_speed = 2 }
}`
	ev, diags := modules.Load(modules.Options{Entry: writeModule(t, src), Host: darwin})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	tests := []struct {
		path string
		real bool
	}{
		{`macos.defaults."com.apple.dock"."autohide-delay"`, true},
		{`macos.defaults.NSGlobalDomain."com.apple.trackpad.scaling"`, true},
		{`macos.defaults."com.apple.dock".tilesize`, false},
	}
	for _, tt := range tests {
		v, _, diags := ev.Value(tt.path)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", tt.path, diags.Error())
		}
		if isReal := v.Type().Equals(plistval.RealType); isReal != tt.real {
			t.Errorf("%s: type %s, want real = %v", tt.path, v.Type().FriendlyName(), tt.real)
		}
		if !tt.real && !v.Type().Equals(cty.Number) {
			t.Errorf("%s: type %s, want number", tt.path, v.Type().FriendlyName())
		}
	}
}

// TestOptions checks the declarations themselves: every option has a
// description, every convenience option says which preference it sets, and
// there are enough of them.
func TestOptions(t *testing.T) {
	ev, diags := modules.Load(modules.Options{Entry: writeModule(t, ""), Host: darwin})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	opts := ev.Options("")
	seen := map[string]bool{}
	convenience := map[string]int{}
	for _, o := range opts {
		p := o.Path
		seen[p] = true
		if strings.TrimSpace(o.Description) == "" {
			t.Errorf("%s has no description", p)
		}
		for _, group := range []string{"dock", "finder", "global", "trackpad", "screencapture"} {
			if strings.HasPrefix(p, "macos."+group+".") {
				convenience[group]++
				if !strings.Contains(o.Description, "Sets `") {
					t.Errorf("%s: description does not say which preference it sets: %q", p, o.Description)
				}
			}
		}
	}
	for _, p := range []string{
		"networking.host_name", "networking.computer_name", "networking.local_host_name",
		"users", "groups",
		"environment.system_packages", "environment.package_manager", "environment.etc",
		"home", "systemd.services", "systemd.timers",
		"macos.primary_user", "macos.defaults", "macos.current_host_defaults", "macos.system_defaults",
		"macos.keyboard.user_key_mapping", "macos.keyboard.enable_key_mapping",
		"macos.keyboard.remap_caps_lock_to_escape", "macos.keyboard.remap_caps_lock_to_control",
		"macos.keyboard.swap_left_command_and_left_alt",
		"macos.launchd.agents", "macos.launchd.daemons",
		"macos.touch_id_sudo", "macos.touch_id_sudo_reattach",
		"macos.dock.autohide", "macos.dock.autohide_delay", "macos.dock.show_recents",
		"macos.finder.show_path_bar", "macos.global.key_repeat", "macos.global.natural_scrolling",
	} {
		if !seen[p] {
			t.Errorf("option %s is not declared", p)
		}
	}
	total := 0
	for _, n := range convenience {
		total += n
	}
	if total < 40 {
		t.Errorf("%d typed preference options (%v), want at least 40", total, convenience)
	}
	t.Logf("typed preference options: %v, total %d", convenience, total)
}

// TestFiles checks that the embedded tree holds the modules.
func TestFiles(t *testing.T) {
	files := builtin.Files()
	for _, want := range []string{"core/networking.hcl", "linux/systemd.hcl", "macos/dock.hcl", "macos/touch_id.hcl"} {
		if indexOf(files, want) < 0 {
			t.Errorf("%s not embedded; have %v", want, files)
		}
	}
}

// TestAuthorizedKeysAccepted checks that one-line keys pass the
// authorized_keys assertion (TestErrors has the keys it refuses), for
// one user with keys among others without.
func TestAuthorizedKeysAccepted(t *testing.T) {
	src := `users "alice" { authorized_keys = ["ssh-ed25519 AAAA a@b", "from=\"10.0.0.1\" ssh-rsa BBBB c@d"] }
users "bob" {}
users "carol" { authorized_keys = [] }`
	out, errs := evalJSON(t, darwin, src, "", "users.alice.authorized_keys")
	if errs != "" {
		t.Fatalf("evaluation failed:\n%s", errs)
	}
	if got, want := mustJSON(out["users.alice.authorized_keys"]), mustJSON(decode(t, `["ssh-ed25519 AAAA a@b", "from=\"10.0.0.1\" ssh-rsa BBBB c@d"]`)); got != want {
		t.Errorf("users.alice.authorized_keys = %s, want %s", got, want)
	}
}
