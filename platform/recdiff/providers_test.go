package recdiff_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/recdiff"

	// Every provider registers its Differ.
	_ "github.com/gocfg/gocfg/platform/files"
	_ "github.com/gocfg/gocfg/platform/hostname"
	_ "github.com/gocfg/gocfg/platform/macos/keyboard"
	_ "github.com/gocfg/gocfg/platform/macos/launchd"
	_ "github.com/gocfg/gocfg/platform/macos/names"
	_ "github.com/gocfg/gocfg/platform/macos/prefs"
	_ "github.com/gocfg/gocfg/platform/macos/touchid"
	_ "github.com/gocfg/gocfg/platform/packages"
	_ "github.com/gocfg/gocfg/platform/systemd"
	_ "github.com/gocfg/gocfg/platform/users"
)

func TestEveryProviderRegistered(t *testing.T) {
	for _, name := range []string{"files", "systemd", "users", "packages", "hostname", "defaults", "names", "keyboard", "launchd", "touch_id"} {
		if _, ok := recdiff.Lookup(name); !ok {
			t.Errorf("no Differ for the provider %q", name)
		}
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// stored is a generation's files tree: root/rel → content.
type stored map[string]string

func (s stored) content() recdiff.Content {
	if s == nil {
		return nil
	}
	return func(root, rel string) ([]byte, error) {
		c, ok := s[root+"/"+rel]
		if !ok {
			return nil, errors.New("no such file")
		}
		return []byte(c), nil
	}
}

// diffText runs provider's Differ on records a and b and returns the
// change lines as the View prints them.
func diffText(t *testing.T, provider, a, b string, sa, sb stored) string {
	t.Helper()
	ga := recdiff.Generation{Records: platform.Applied{provider: json.RawMessage(a)}, Content: sa.content()}
	gb := recdiff.Generation{Records: platform.Applied{provider: json.RawMessage(b)}, Content: sb.content()}
	r, err := recdiff.Diff(ga, gb)
	if err != nil {
		t.Fatalf("%s: %v", provider, err)
	}
	var out strings.Builder
	if err := (recdiff.View{Out: &out}).Print(r, "T", "none"); err != nil {
		t.Fatal(err)
	}
	s := strings.TrimPrefix(out.String(), "T\n\n")
	if i := strings.Index(s, "\nDifferences:"); i >= 0 {
		s = s[:i]
	}
	return s
}

const (
	unitA = "[Unit]\nDescription=Web\n\n[Service]\nExecStart=/usr/bin/a\nEnvironment=\"PORT=80\"\nEnvironment=\"DB_PASSWORD=hunter2\"\n\n[Install]\nWantedBy=multi-user.target\n"
	unitB = "[Unit]\nDescription=Web\n\n[Service]\nExecStart=/usr/bin/b\nEnvironment=\"PORT=8080\"\nEnvironment=\"DB_PASSWORD=hunter3\"\nLimitNOFILE=1024\n\n[Install]\nWantedBy=multi-user.target\n"
	// unitA2 is unitA laid out differently: the same settings.
	unitA2 = "[Service]\nExecStart=/usr/bin/a\nEnvironment=\"PORT=80\" \"DB_PASSWORD=hunter2\"\n\n[Unit]\nDescription=Web\n[Install]\nWantedBy=multi-user.target\n"

	plistA = `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>Label</key><string>org.example.sync</string>` +
		`<key>ProgramArguments</key><array><string>/usr/local/bin/sync</string><string>--once</string></array>` +
		`<key>RunAtLoad</key><true/><key>EnvironmentVariables</key><dict><key>SYNC_TOKEN</key><string>tok-aaa</string></dict></dict></plist>`
	plistB = `<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>Label</key><string>org.example.sync</string>` +
		`<key>ProgramArguments</key><array><string>/usr/local/bin/sync</string><string>--dir</string><string>My Files</string></array>` +
		`<key>RunAtLoad</key><true/><key>StartInterval</key><integer>300</integer><key>EnvironmentVariables</key><dict><key>SYNC_TOKEN</key><string>tok-bbb</string></dict></dict></plist>`
)

func unitRecords(hash string, enable bool) string {
	e := "false"
	if enable {
		e = "true"
	}
	return `{"units": [{"scope": "system", "name": "web.service", "path": "/etc/systemd/system/web.service", "root": "systemd/system", "rel": "web.service", "hash": "` +
		hash + `", "enable": ` + e + `, "restart_if_changed": true, "stop_on_removal": true, "uid": 0, "gid": 0}]}`
}

func jobRecords(hash string) string {
	return `{"jobs": [{"kind": "agent", "label": "org.example.sync", "user": "alice", "uid": 501, "path": "/Users/alice/Library/LaunchAgents/org.example.sync.plist",` +
		` "root": "launchd/agents/alice", "rel": "org.example.sync.plist", "hash": "` + hash + `", "file_uid": 501, "file_gid": 20}]}`
}

func prefRecords(kv ...string) string {
	var keys []string
	for i := 0; i < len(kv); i += 2 {
		v, _ := json.Marshal(`<?xml version="1.0" encoding="UTF-8"?><plist version="1.0">` + kv[i+1] + `</plist>`)
		keys = append(keys, `{"scope": "user", "user": "alice", "domain": "com.apple.dock", "key": "`+kv[i]+`", "value": `+string(v)+`}`)
	}
	return `{"keys": [` + strings.Join(keys, ", ") + `]}`
}

func TestProviderDiffs(t *testing.T) {
	tests := []struct {
		name, provider string
		a, b           string
		sa, sb         stored
		want           string
	}{
		{
			name: "unit, key by key", provider: "systemd",
			a: unitRecords(sha(unitA), true), b: unitRecords(sha(unitB), false),
			sa: stored{"systemd/system/web.service": unitA}, sb: stored{"systemd/system/web.service": unitB},
			want: `  ~ unit:system:web.service  environment.DB_PASSWORD: (sensitive) → (sensitive)
                             environment.PORT: 80 → 8080
                             exec_start: /usr/bin/a → /usr/bin/b
                             service_config.LimitNOFILE: (none) → 1024
                             enable: true → false
`,
		},
		{
			name: "unit, stored file unreadable", provider: "systemd",
			a: unitRecords(sha(unitA), true), b: unitRecords(sha(unitB), true),
			sa: nil, sb: stored{"systemd/system/web.service": unitB},
			want: "  ~ unit:system:web.service  content: " + sha(unitA)[:8] + " → " + sha(unitB)[:8] + "\n",
		},
		{
			name: "unit, stored file changed since", provider: "systemd",
			a: unitRecords(sha(unitA), true), b: unitRecords(sha(unitB), true),
			sa: stored{"systemd/system/web.service": unitB}, sb: stored{"systemd/system/web.service": unitB},
			want: "  ~ unit:system:web.service  content: " + sha(unitA)[:8] + " → " + sha(unitB)[:8] + "\n",
		},
		{
			name: "unit, layout only", provider: "systemd",
			a: unitRecords(sha(unitA), true), b: unitRecords(sha(unitA2), true),
			sa: stored{"systemd/system/web.service": unitA}, sb: stored{"systemd/system/web.service": unitA2},
			want: "  ~ unit:system:web.service  content: " + sha(unitA)[:8] + " → " + sha(unitA2)[:8] + " (same settings)\n",
		},
		{
			name: "unit added and removed", provider: "systemd",
			a: `{"units": []}`, b: unitRecords(sha(unitA), true),
			want: "  + unit:system:web.service  unit file, content " + sha(unitA)[:8] + "; enable\n",
		},
		{
			name: "users", provider: "users",
			a: `{"users": [{"name": "alice", "config": {"shell": "/bin/bash", "groups": ["wheel"]}, "uid": 1001, "gid": 1001, "home": "/home/alice"},
			               {"name": "bob", "config": {}, "uid": 1003, "gid": 1003, "home": "/home/bob"}],
			     "groups": [{"name": "devs", "config": {"members": ["alice"]}, "gid": 2000}]}`,
			b: `{"users": [{"name": "alice", "config": {"shell": "/bin/zsh", "groups": ["wheel", "devs"]}, "uid": 1001, "gid": 1001, "home": "/home/alice"},
			               {"name": "carol", "config": {"shell": "/bin/sh"}, "uid": 1002, "gid": 1002, "home": "/home/carol"}],
			     "groups": [{"name": "devs", "config": {"members": ["alice", "carol"]}, "gid": 2000}]}`,
			want: `  ~ group:devs  members: alice → alice, carol
  ~ user:alice  shell: /bin/bash → /bin/zsh
                groups: wheel → devs, wheel
  - user:bob    uid 1003, home /home/bob
  + user:carol  uid 1002, home /home/carol, shell /bin/sh
`,
		},
		{
			name: "packages", provider: "packages",
			a: `{"manager": "apt", "packages": ["git", "htop", "jq"], "installed": ["htop"]}`,
			b: `{"manager": "apt", "packages": ["git", "jq", "ripgrep"], "installed": ["jq", "ripgrep"]}`,
			want: `  - package:apt:htop
  ~ package:apt:jq       installed by gocfg: no → yes
  + package:apt:ripgrep
`,
		},
		{
			name: "brew casks and taps", provider: "packages",
			a: `{"manager": "brew", "packages": [], "installed": [], "casks": {"names": ["firefox"], "installed": ["firefox"]}, "brew_user": "alice"}`,
			b: `{"manager": "brew", "packages": [], "installed": [], "taps": {"names": ["hashicorp/tap"], "installed": []}, "brew_user": "bob"}`,
			want: `  - cask:firefox
  ~ packages:brew      brew_user: alice → bob
  + tap:hashicorp/tap
`,
		},
		{
			name: "hostname", provider: "hostname",
			a: `{"name": "atlas", "original": "debian"}`, b: `{"name": "zeus", "original": "debian"}`,
			want: "  ~ hostname  atlas → zeus\n",
		},
		{
			name: "hostname no longer managed", provider: "hostname",
			a: `{"name": "atlas", "original": "debian"}`, b: `{}`,
			want: "  - hostname  atlas\n",
		},
		{
			name: "preferences", provider: "defaults",
			a: prefRecords("autohide", "<false/>", "tilesize", "<integer>48</integer>", "SyncToken", "<string>tok-aaa</string>"),
			b: prefRecords("autohide", "<true/>", "orientation", "<string>left</string>", "SyncToken", "<string>tok-bbb</string>", "note", "<string>https://u:pw@host/x</string>"),
			want: `  ~ defaults:alice:com.apple.dock:SyncToken    (sensitive) → (sensitive)
  ~ defaults:alice:com.apple.dock:autohide     false → true
  + defaults:alice:com.apple.dock:note         (sensitive)
  + defaults:alice:com.apple.dock:orientation  "left"
  - defaults:alice:com.apple.dock:tilesize     48
`,
		},
		{
			name: "names", provider: "names",
			a: `{"HostName": {"name": "atlas", "original": null}, "ComputerName": {"name": "Atlas", "original": "Mac"}}`,
			b: `{"HostName": {"name": "zeus", "original": null}, "LocalHostName": {"name": "zeus", "original": null}}`,
			want: `  - hostname:ComputerName   Atlas
  ~ hostname:HostName       atlas → zeus
  + hostname:LocalHostName  zeus
`,
		},
		{
			name: "keyboard", provider: "keyboard",
			a:    `{"mapping": [{"src": 30064771129, "dst": 30064771113}], "original": []}`,
			b:    `{"mapping": [{"src": 30064771129, "dst": 30064771296}], "original": []}`,
			want: "  ~ keyboard:user_key_mapping  [Caps Lock → Escape] → [Caps Lock → Left Control]\n",
		},
		{
			name: "launchd, key by key", provider: "launchd",
			a: jobRecords(sha(plistA)), b: jobRecords(sha(plistB)),
			sa: stored{"launchd/agents/alice/org.example.sync.plist": plistA}, sb: stored{"launchd/agents/alice/org.example.sync.plist": plistB},
			want: `  ~ launchd:agent:alice:org.example.sync  environment.SYNC_TOKEN: (sensitive) → (sensitive)
                                          extra.StartInterval: (none) → 300
                                          program_arguments: /usr/local/bin/sync --once → /usr/local/bin/sync --dir 'My Files'
`,
		},
		{
			name: "files", provider: "files",
			a: `{"files": [{"path": "/home/alice/.zshrc", "root": "home/alice", "rel": ".zshrc", "method": "link", "hash": "1111111111", "uid": 1001, "gid": 1001},
			               {"path": "/etc/motd", "root": "etc", "rel": "motd", "method": "copy", "hash": "2222222222", "mode": 420, "uid": 0, "gid": 0}], "dirs": []}`,
			b: `{"files": [{"path": "/home/alice/.zshrc", "root": "home/alice", "rel": ".zshrc", "method": "link", "hash": "3333333333", "uid": 1001, "gid": 1001},
			               {"path": "/etc/motd", "root": "etc", "rel": "motd", "method": "copy", "hash": "2222222222", "mode": 420, "uid": 0, "gid": 4}], "dirs": []}`,
			want: `  ~ file:/etc/motd      owner: 0:0 → 0:4
  ~ file:~alice/.zshrc  link, content 11111111 → link, content 33333333
`,
		},
		{
			name: "the same", provider: "users",
			a:    `{"users": [{"name": "alice", "config": {}, "uid": 1, "gid": 1, "home": "/h"}]}`,
			b:    `{"users": [{"name": "alice", "config": {}, "uid": 1, "gid": 1, "home": "/h"}], "groups": [], "members": []}`,
			want: "none\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffText(t, tt.provider, tt.a, tt.b, tt.sa, tt.sb)
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			for _, secret := range []string{"hunter", "tok-", "pw@"} {
				if strings.Contains(got, secret) {
					t.Errorf("the secret %q shows:\n%s", secret, got)
				}
			}
		})
	}
}
