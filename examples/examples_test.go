package examples_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	json "github.com/goccy/go-json"

	"github.com/hashicorp/hcl/v2"

	"github.com/gocfg/gocfg/deploy"
	"github.com/gocfg/gocfg/modules"
)

var (
	mbp   = modules.Host{OS: "darwin", Arch: "arm64", Name: "mbp", User: "alice"}
	atlas = modules.Host{OS: "linux", Arch: "amd64", Name: "atlas", User: "alice"}
	web1  = modules.Host{OS: "linux", Arch: "amd64", Name: "web1", User: "root"}
	web2  = modules.Host{OS: "linux", Arch: "amd64", Name: "web2", User: "root"}
	ember = modules.Host{OS: "linux", Arch: "amd64", Name: "ember", User: "root", Distro: "debian"}
)

func TestMacOSLaptop(t *testing.T) {
	cfg := evaluate(t, "macos-laptop/hosts/mbp.hcl", mbp)

	cfg.equal(t, "networking.host_name", "mbp")
	cfg.noWarnings(t)
	cfg.equal(t, "networking.computer_name", "Alice's MacBook Pro")
	cfg.equal(t, "macos.primary_user", "alice")

	// The host's plain values beat darwin/dock.hcl's default(...), and the
	// convenience options land in the Dock's preferences domain.
	cfg.equal(t, "macos.dock.autohide", true)
	cfg.equal(t, `macos.defaults."com.apple.dock".autohide`, true)
	cfg.equal(t, `macos.defaults."com.apple.dock".tilesize`, 56.0)
	cfg.equal(t, `macos.defaults."com.apple.dock".show-recents`, false)
	// force(1) in the host beats the plain 2 of darwin/global.hcl.
	cfg.equal(t, `macos.defaults.NSGlobalDomain.KeyRepeat`, 1.0)
	cfg.equal(t, `macos.defaults.NSGlobalDomain.InitialKeyRepeat`, 15.0)
	// Set by the developer profile, whose blocks are `when` it is enabled.
	cfg.equal(t, `macos.defaults."com.apple.finder".AppleShowAllFiles`, true)
	cfg.equal(t, `macos.defaults."com.apple.dt.Xcode".ShowBuildOperationDuration`, true)

	// An application domain set directly, with real() values and a key
	// that is not an identifier.
	cfg.equal(t, `macos.defaults."com.knollsoft.Rectangle".gapSize`, 8.0)
	cfg.equal(t, `macos.defaults."com.knollsoft.Rectangle".almostMaximizeHeight`, 0.9)
	cfg.equal(t, `macos.defaults."com.knollsoft.Rectangle".launchOnLogin`, true)
	cfg.equal(t, `macos.defaults."com.apple.print.PrintingPrefs"."Quit When Finished"`, true)

	cfg.contains(t, `environment.etc."pam.d/sudo_local".text`, "/opt/homebrew/lib/pam/pam_reattach.so\n")
	cfg.contains(t, `environment.etc."pam.d/sudo_local".text`, "auth       sufficient     pam_tid.so\n")
	// Caps Lock (0x700000039) to Escape (0x700000029).
	cfg.equal(t, "macos.keyboard.user_key_mapping", []any{
		map[string]any{"src": float64(0x700000039), "dst": float64(0x700000029)},
	})

	// common.hcl's packages, darwin/keyboard.hcl's, then the profile's:
	// module order, with the toolchains of the languages the host picked.
	cfg.equal(t, "environment.package_manager", "brew")
	cfg.equal(t, "environment.system_packages", strs(
		"coreutils", "curl", "htop", "tree", "wget",
		"pam-reattach",
		"git", "gh", "jq", "neovim", "ripgrep", "fd",
		"go", "gopls", "rustup",
	))

	cfg.equal(t, "users.alice.home", "/Users/alice")
	cfg.equal(t, "users.alice.shell", "/bin/zsh")
	// The git config is text built from config.users.alice.description.
	cfg.contains(t, `home.alice.files.".config/git/config".text`, "name = Alice Liddell\n")
	cfg.source(t, `home.alice.files.".zshrc".source`, "macos-laptop/dotfiles/zshrc")
	cfg.source(t, `home.alice.files.".config/nvim".source`, "macos-laptop/dotfiles/nvim")
	cfg.equal(t, `home.alice.files.".config/nvim".recursive`, true)
}

func TestMacOSLaptopOnlyOnMacs(t *testing.T) {
	linux := mbp
	linux.OS = "linux"
	evaluateError(t, "macos-laptop/hosts/mbp.hcl", linux, "macos-laptop is a configuration for macOS, not linux")
}

func TestLinuxWorkstation(t *testing.T) {
	cfg := evaluate(t, "linux-workstation/hosts/atlas.hcl", atlas)

	cfg.equal(t, "networking.host_name", "atlas") // from host.name
	cfg.noWarnings(t)

	// The developer profile's plain shell beats base.hcl's default(), and
	// its group is appended to base.hcl's.
	cfg.equal(t, "users.alice.shell", "/usr/bin/zsh")
	cfg.equal(t, "users.alice.groups", strs("sudo", "audio", "video", "plugdev", "docker"))
	cfg.equal(t, "users.alice.uid", 1000.0)
	cfg.equal(t, "users.alice.description", "Alice Liddell") // config.me.full_name
	cfg.equal(t, "groups.media", map[string]any{"gid": 2000.0, "members": strs("alice")})

	// The host forces the work address over me.hcl's plain one, and the
	// git config reads it through config.me.email.
	cfg.equal(t, "me.email", "alice@corp.example")
	cfg.contains(t, `home.alice.files.".config/git/config".text`, "email = alice@corp.example\n")
	cfg.contains(t, `home.alice.files.".config/git/config".text`, "editor = nvim\n")

	// base.hcl is imported by both the host and developer.hcl but loaded
	// once: its packages appear once, before the profile's.
	cfg.equal(t, "environment.package_manager", "apt")
	cfg.equal(t, "environment.system_packages", strs(
		"curl", "git", "htop", "syncthing", "tmux", "unzip", "zsh",
		"build-essential", "docker.io", "fd-find", "golang-go", "jq", "neovim", "ripgrep", "shellcheck",
	))
	cfg.contains(t, `environment.etc."apt/apt.conf.d/99no-recommends".text`, `APT::Install-Recommends "false";`)
	cfg.equal(t, `environment.etc."sysctl.d/60-inotify.conf".text`, "fs.inotify.max_user_watches = 524288\n")
	cfg.equal(t, `environment.etc."sysctl.d/60-inotify.conf".method`, "link") // the sub-option's default

	cfg.source(t, `home.alice.files.".zshrc".source`, "linux-workstation/dotfiles/zshrc")
	cfg.source(t, `home.alice.files.".tmux.conf".source`, "linux-workstation/dotfiles/tmux.conf")
	cfg.source(t, `home.alice.files.".config/nvim".source`, "linux-workstation/dotfiles/nvim")

	const syncthing = "home.alice.systemd.services.syncthing"
	cfg.equal(t, syncthing+".description", "Syncthing for Alice Liddell")
	cfg.equal(t, syncthing+".exec_start", "/usr/bin/syncthing serve --no-browser --no-restart --logflags=0")
	cfg.equal(t, syncthing+".wanted_by", strs("default.target"))
	cfg.equal(t, syncthing+".restart", "on-failure")
	cfg.equal(t, syncthing+".environment", map[string]any{"STNORESTART": "1"})
	cfg.equal(t, syncthing+".enable", true) // the sub-option's default
}

func TestLinuxWorkstationWarnsOnOtherArchs(t *testing.T) {
	arm := atlas
	arm.Arch = "arm64"
	cfg := evaluate(t, "linux-workstation/hosts/atlas.hcl", arm)
	if len(cfg.warnings) != 1 || !strings.Contains(cfg.warnings[0].Error(), "only tested on amd64, this is arm64") {
		t.Errorf("%s on arm64: warnings %v, want one that the packages are only tested on amd64", cfg.entry, cfg.warnings)
	}
}

func TestLinuxServer(t *testing.T) {
	cfg := evaluate(t, "linux-server/hosts/web1.hcl", web1)

	cfg.equal(t, "networking.host_name", "web1")
	cfg.noWarnings(t)
	// The modules/ folder is imported in name order: backup, base, web.
	cfg.equal(t, "environment.system_packages", strs(
		"restic", "curl", "htop", "rsync", "unattended-upgrades", "vim-tiny", "nginx-light",
	))

	const nginx = "systemd.services.nginx"
	cfg.equal(t, nginx+".description", "nginx for www.example.org")
	cfg.equal(t, nginx+".type", "forking")
	cfg.equal(t, nginx+".exec_start", "/usr/sbin/nginx -g 'daemon on; master_process on;'")
	cfg.equal(t, nginx+".exec_start_pre", strs("/usr/sbin/nginx -g 'daemon on; master_process on;' -t -q"))
	cfg.equal(t, nginx+".reload_if_changed", false)
	// nginx.conf's text, read through config: a change to it reloads nginx.
	cfg.equal(t, nginx+".reload_triggers", []any{cfg.get(t, `environment.etc."nginx/nginx.conf".text`)})
	cfg.equal(t, nginx+".wanted_by", strs("multi-user.target"))
	cfg.equal(t, nginx+".service_config.PIDFile", "/run/nginx.pid")
	conf := `environment.etc."nginx/nginx.conf".text`
	cfg.contains(t, conf, "worker_processes 4;\n")
	cfg.contains(t, conf, "server_name www.example.org;\n")
	cfg.contains(t, conf, "root /srv/www;\n") // web.root's default
	cfg.contains(t, conf, "try_files $uri $uri/ =404;")

	// The host's schedule beats the option's default "daily"; the
	// repository default reads host.name.
	cfg.equal(t, "systemd.timers.backup.on_calendar", "*-*-* 03:30:00")
	cfg.equal(t, "systemd.timers.backup.persistent", true)
	cfg.equal(t, "systemd.timers.backup.wanted_by", strs("timers.target"))
	cfg.equal(t, "systemd.services.backup.type", "oneshot")
	cfg.equal(t, "systemd.services.backup.exec_start", "/usr/bin/restic backup --one-file-system /srv/www /etc/nginx")
	cfg.equal(t, "systemd.services.backup.environment.RESTIC_REPOSITORY", "sftp:restic@backup.example.org:/srv/restic/web1")

	// Users made by a for expression and by blocks, merged per key.
	cfg.equal(t, "users.alice.groups", strs("sudo", "adm"))
	cfg.equal(t, "users.bob.uid", 1001.0)
	cfg.equal(t, "users.deploy.shell", "/bin/bash") // the host beats default("/usr/sbin/nologin")
	cfg.equal(t, "users.deploy.groups", strs("www-data"))
	cfg.equal(t, `groups."ssh-users".members`, strs("alice", "bob", "deploy"))
	cfg.equal(t, "environment.etc.motd.text", "web1: managed by gocfg, changes made by hand are undone.\n")
	cfg.source(t, `environment.etc."ssh/sshd_config.d/10-hardening.conf".source`, "linux-server/files/sshd-hardening.conf")
}

func TestLinuxServerStaging(t *testing.T) {
	cfg := evaluate(t, "linux-server/hosts/web2.hcl", web2)

	// No backup: its `when` blocks define nothing.
	cfg.absent(t, "systemd.services.backup")
	cfg.absent(t, "systemd.timers.backup")
	cfg.equal(t, "environment.system_packages", strs(
		"curl", "htop", "rsync", "unattended-upgrades", "vim-tiny", "nginx-light",
	))
	cfg.equal(t, "users.deploy.shell", "/usr/sbin/nologin") // default() stands
	cfg.contains(t, `environment.etc."nginx/nginx.conf".text`, "worker_processes 2;\n")
	cfg.equal(t, "systemd.services.nginx.description", "nginx for staging.example.org")
	cfg.equal(t, "environment.etc.motd.text", "web2: managed by gocfg, changes made by hand are undone.\n")
}

func TestLinuxServerBackupNeedsPaths(t *testing.T) {
	// A host of its own that turns backups on and forgets the paths.
	dir := t.TempDir()
	modulesDir, err := filepath.Abs("linux-server/modules")
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(dir, modulesDir)
	if err != nil {
		t.Fatal(err)
	}
	entry := filepath.Join(dir, "web3.hcl")
	src := "imports = [\"" + filepath.ToSlash(rel) + "\"]\n\n" +
		"networking {\n  host_name = \"web3\"\n}\n\n" +
		"backup {\n  enable = true\n}\n"
	if err := os.WriteFile(entry, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// At the host's own line that turns backups on.
	evaluateError(t, entry, web1, "web3.hcl:8,12-16: Assertion failed; backup.enable: backup.paths is empty")
}

// TestNixOSWorkstation: the configuration.nix of examples/nixos-workstation
// as gocfg options, and what the built-in modules make of them: the /etc
// files, packages and units are theirs, none is written by the host.
func TestNixOSWorkstation(t *testing.T) {
	cfg := evaluate(t, "nixos-workstation/hosts/ember.hcl", ember)
	cfg.noWarnings(t)

	// The options, as the host sets them.
	cfg.equal(t, "networking.host_name", "ember")
	cfg.equal(t, "time.time_zone", "Europe/Berlin")
	cfg.equal(t, "i18n.default_locale", "en_US.UTF-8")
	de := "de_DE.UTF-8"
	cfg.equal(t, "i18n.extra_locale_settings", map[string]any{
		"LC_ADDRESS": de, "LC_MEASUREMENT": de, "LC_MONETARY": de, "LC_PAPER": de, "LC_TIME": de,
	})
	cfg.equal(t, "console.keymap", "de")
	cfg.equal(t, "users.alice.admin", true)
	cfg.equal(t, "users.alice.shell", "/bin/zsh")
	cfg.equal(t, "users.alice.description", "Alice Liddell")
	cfg.equal(t, "users.alice.authorized_keys", strs(
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGj0yVv1mZc7cJVuPa3pZ0a6u9gdp3kC9oO4oR1b9Xk6 alice@framework",
	))
	cfg.equal(t, "security.sudo.wheel_needs_password", false)
	cfg.equal(t, "programs.zsh.enable", true)
	cfg.equal(t, "home.alice.programs.zsh.enable", true)
	cfg.equal(t, "home.alice.programs.zsh.aliases.ll", "ls -l")
	cfg.equal(t, "services.openssh.enable", true)
	cfg.equal(t, "services.openssh.settings", map[string]any{"PasswordAuthentication": false, "PermitRootLogin": "no"})
	cfg.equal(t, "networking.networkmanager.enable", true)
	cfg.equal(t, "networking.firewall.enable", true)
	// services.openssh opens its port, as NixOS's openFirewall does.
	cfg.equal(t, "networking.firewall.allowed_tcp_ports", []any{22.0, 22000.0})
	cfg.equal(t, "networking.firewall.allowed_udp_ports", []any{22000.0, 21027.0})
	cfg.equal(t, "boot.kernel.sysctl", map[string]any{"net.ipv4.ip_forward": 1.0, "net.ipv6.conf.all.forwarding": 1.0})

	// What the modules make of them. The modules' packages come first
	// (zsh, nftables, locales, NetworkManager, the SSH server, sudo for
	// security.sudo), then the host's.
	cfg.equal(t, "environment.system_packages", strs(
		"zsh", "nftables", "locales", "network-manager", "openssh-server", "sudo",
		"vim", "git", "wget", "curl", "htop", "ripgrep", "firefox-esr",
	))
	cfg.equal(t, "groups.sudo.members", strs("alice")) // admin on Debian
	cfg.equal(t, `environment.etc.localtime.symlink_to`, "/usr/share/zoneinfo/Europe/Berlin")
	cfg.equal(t, `environment.etc.timezone.text`, "Europe/Berlin\n")
	cfg.equal(t, `environment.etc."default/locale".text`, "# Written by gocfg (i18n); replaced by every switch.\nLANG=en_US.UTF-8\n"+
		"LC_ADDRESS=de_DE.UTF-8\nLC_MEASUREMENT=de_DE.UTF-8\nLC_MONETARY=de_DE.UTF-8\nLC_PAPER=de_DE.UTF-8\nLC_TIME=de_DE.UTF-8\n")
	cfg.contains(t, `environment.etc."locale.gen".text`, "\nen_US.UTF-8 UTF-8\nde_DE.UTF-8 UTF-8\n")
	cfg.contains(t, `environment.etc."default/keyboard".text`, "\nXKBLAYOUT=\"de\"\nXKBVARIANT=\"\"\n")
	cfg.equal(t, `environment.etc."sudoers.d/gocfg".text`, "# Written by gocfg (security.sudo); replaced by every switch.\n%sudo ALL=(ALL:ALL) NOPASSWD: ALL\n")
	cfg.equal(t, `environment.etc."ssh/sshd_config.d/60-gocfg.conf".text`,
		"# Written by gocfg (services.openssh); replaced by every switch.\nPort 22\nPasswordAuthentication no\nPermitRootLogin no\n")
	cfg.contains(t, `environment.etc."nftables.d/gocfg.nft".text`, "tcp dport { 22, 22000 } accept\n")
	cfg.contains(t, `environment.etc."nftables.d/gocfg.nft".text`, "udp dport { 22000, 21027 } accept\n")
	cfg.equal(t, `environment.etc."sysctl.d/60-gocfg.conf".text`,
		"# Written by gocfg (boot.kernel.sysctl); replaced by every switch.\nnet.ipv4.ip_forward = 1\nnet.ipv6.conf.all.forwarding = 1\n")
	cfg.equal(t, `systemd.units."NetworkManager.service".enable`, true)
	cfg.equal(t, `systemd.units."ssh.service".enable`, true) // services.openssh's unit
	cfg.equal(t, `home_files.alice.".ssh/authorized_keys".mode`, "0600")
	cfg.contains(t, `home_files.alice.".zshrc".text`, "alias -- ll='ls -l'\n")
	// networking.host_name's /etc/hosts, so that the name resolves.
	cfg.contains(t, `environment.etc.hosts.text`, "\n127.0.1.1 ")

	// No file or unit of the host's own: every /etc file and unit is a
	// built-in module's (networking.firewall's boot unit).
	etc := cfg.get(t, "environment.etc").(map[string]any)
	var names []string
	for name := range etc {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"default/keyboard", "default/locale", "hosts", "locale.gen", "localtime", "nftables.d/gocfg.nft",
		"ssh/sshd_config.d/60-gocfg.conf", "sudoers.d/gocfg", "sysctl.d/60-gocfg.conf", "systemd/system/nftables.service.d/60-gocfg.conf", "timezone"}; !slices.Equal(names, want) {
		t.Errorf("environment.etc has %q, want only the modules' %q", names, want)
	}
	cfg.equal(t, "systemd.timers", map[string]any{})
	services := cfg.get(t, "systemd.services").(map[string]any)
	if len(services) != 1 || services["gocfg-firewall"] == nil {
		t.Errorf("systemd.services has %v, want only networking.firewall's gocfg-firewall", services)
	}
}

// A config is one example's evaluated configuration, as plain JSON values.
type config struct {
	entry    string
	root     any                                    // the whole configuration
	jsonOf   func(string) ([]byte, hcl.Diagnostics) // the evaluator's JSON of one path
	warnings hcl.Diagnostics                        // from loading and evaluating the whole
}

// TestFleet: the three hosts of examples/fleet (docs/deploy.md) as gocfg
// deploy reads them: their deployment options, the selection by tag, and
// each host's configuration.
func TestFleet(t *testing.T) {
	hosts, err := deploy.Inventory(context.Background(), "fleet", func(_ context.Context, name string) ([]byte, error) {
		cfg := evaluate(t, "fleet/hosts/"+name+".hcl", modules.Host{OS: "linux", Arch: "amd64", Name: name, User: "ops"})
		cfg.noWarnings(t)
		cfg.equal(t, "networking.host_name", name)
		cfg.equal(t, "users.ops.groups", strs("sudo"))
		cfg.source(t, `environment.etc."ssh/sshd_config.d/10-fleet.conf".source`, "fleet/files/sshd-fleet.conf")
		js, diags := cfg.jsonOf("")
		if diags.HasErrors() {
			return nil, diags
		}
		return js, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]deploy.Host{}
	for _, h := range hosts {
		byName[h.Name] = h
	}
	if len(hosts) != 3 {
		t.Fatalf("%d hosts, want web1, web2 and db1", len(hosts))
	}
	web1, db1 := byName["web1"], byName["db1"]
	if web1.Target != "web1.example.org" || web1.User != "ops" || web1.Become != "sudo" || !web1.MagicRollback ||
		web1.ConfirmTimeout != 30*time.Second || len(web1.HealthChecks) != 2 || web1.HealthChecks[1].URL != "http://web1.example.org/health" {
		t.Errorf("web1: %+v", web1)
	}
	if db1.Target != "10.0.2.11" || db1.Port != 2222 || db1.ConfirmTimeout != 60*time.Second ||
		!reflect.DeepEqual(db1.SSHOptions, []string{"ProxyJump=bastion.example.org"}) || db1.HealthChecks[0].Timeout != 15*time.Second {
		t.Errorf("db1: %+v", db1)
	}
	for on, want := range map[string]string{"@web": "web1 web2", "@db": "db1", "@eu": "web1", "web*": "web1 web2"} {
		sel, err := deploy.Select(hosts, []string{on})
		var names []string
		for _, h := range sel {
			names = append(names, h.Name)
		}
		if err != nil || strings.Join(names, " ") != want {
			t.Errorf("--on %s: %v, %v; want %s", on, names, err, want)
		}
	}
	web := evaluate(t, "fleet/hosts/web2.hcl", modules.Host{OS: "linux", Arch: "amd64", Name: "web2", User: "ops"})
	web.equal(t, "environment.system_packages", strs("nginx-light"))
	web.source(t, `environment.etc."nginx/sites-available/default".source`, "fleet/files/site.conf")
	web.equal(t, "systemd.services.nginx-reload.service_config.RemainAfterExit", "yes")
	db := evaluate(t, "fleet/hosts/db1.hcl", modules.Host{OS: "linux", Arch: "amd64", Name: "db1", User: "ops"})
	db.equal(t, "environment.system_packages", strs("postgresql"))
	db.absent(t, "systemd.services.nginx-reload")
}

// evaluate loads and evaluates entry for host, failing the test on any
// error diagnostic.
func evaluate(t *testing.T, entry string, host modules.Host) config {
	t.Helper()
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: host})
	if diags.HasErrors() {
		t.Fatalf("load %s: %s", entry, diags.Error())
	}
	js, more := ev.JSON("")
	if more.HasErrors() {
		t.Fatalf("evaluate %s: %s", entry, more.Error())
	}
	cfg := config{entry: entry, jsonOf: ev.JSON, warnings: append(diags, more...)}
	if err := json.Unmarshal(js, &cfg.root); err != nil {
		t.Fatalf("evaluate %s: %v\n%s", entry, err, js)
	}
	return cfg
}

// evaluateError checks that evaluating entry for host fails with an error
// whose text contains want.
func evaluateError(t *testing.T, entry string, host modules.Host, want string) {
	t.Helper()
	ev, diags := modules.Load(modules.Options{Entry: entry, Host: host})
	if !diags.HasErrors() {
		_, diags = ev.JSON("")
	}
	if !diags.HasErrors() {
		t.Fatalf("evaluate %s for %s: no error, want one containing %q", entry, host.OS, want)
	}
	if !strings.Contains(diags.Error(), want) {
		t.Fatalf("evaluate %s for %s: error\n%s\nwant one containing %q", entry, host.OS, diags.Error(), want)
	}
}

// lookup returns the value at path (dot-separated, segments may be
// double-quoted) and whether it is there.
func (c config) lookup(t *testing.T, path string) (any, bool) {
	t.Helper()
	v := c.root
	for _, seg := range splitPath(t, path) {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = obj[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}

func (c config) get(t *testing.T, path string) any {
	t.Helper()
	v, ok := c.lookup(t, path)
	if !ok {
		t.Fatalf("%s: %s is not in the evaluated configuration", c.entry, path)
	}
	return v
}

func (c config) equal(t *testing.T, path string, want any) {
	t.Helper()
	v, ok := c.lookup(t, path)
	if !ok {
		t.Errorf("%s: %s is missing, want %#v", c.entry, path, want)
		return
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("%s: %s = %#v, want %#v", c.entry, path, v, want)
	}

	// Evaluating the path alone gives the same value.
	js, diags := c.jsonOf(path)
	if diags.HasErrors() {
		t.Errorf("%s: JSON(%s): %s", c.entry, path, diags.Error())
		return
	}
	var one any
	if err := json.Unmarshal(js, &one); err != nil {
		t.Errorf("%s: JSON(%s): %v\n%s", c.entry, path, err, js)
	} else if !reflect.DeepEqual(one, want) {
		t.Errorf("%s: JSON(%s) = %s, want %#v", c.entry, path, js, want)
	}
}

func (c config) contains(t *testing.T, path, want string) {
	t.Helper()
	s, ok := c.get(t, path).(string)
	if !ok || !strings.Contains(s, want) {
		t.Errorf("%s: %s = %#v, want a string containing %q", c.entry, path, c.get(t, path), want)
	}
}

func (c config) absent(t *testing.T, path string) {
	t.Helper()
	if v, ok := c.lookup(t, path); ok {
		t.Errorf("%s: %s = %#v, want it absent", c.entry, path, v)
	}
}

func (c config) noWarnings(t *testing.T) {
	t.Helper()
	for _, d := range c.warnings {
		t.Errorf("%s: unexpected diagnostic: %s", c.entry, d.Error())
	}
}

// source checks that a path option was resolved against its module's
// folder to the file rel (relative to this folder), which exists.
func (c config) source(t *testing.T, path, rel string) {
	t.Helper()
	want, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(want); err != nil {
		t.Errorf("%s: %s: %v", c.entry, path, err)
	}
	c.equal(t, path, want)
}

func strs(s ...string) []any {
	out := make([]any, len(s))
	for i, e := range s {
		out[i] = e
	}
	return out
}

// splitPath splits an option path such as `macos.defaults."com.apple.dock".autohide`.
func splitPath(t *testing.T, path string) []string {
	t.Helper()
	var segs []string
	for path != "" {
		var seg string
		if path[0] == '"' {
			end := strings.IndexByte(path[1:], '"')
			if end < 0 {
				t.Fatalf("unterminated quote in %s", path)
			}
			seg, path = path[1:end+1], path[end+2:]
		} else if i := strings.IndexByte(path, '.'); i >= 0 {
			seg, path = path[:i], path[i:]
		} else {
			seg, path = path, ""
		}
		segs = append(segs, seg)
		path = strings.TrimPrefix(path, ".")
	}
	return segs
}
