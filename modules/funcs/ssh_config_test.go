package funcs

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// evalSSH evaluates src with the ssh functions, as a module would.
func evalSSH(t *testing.T, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", src, diags.Error())
	}
	fns := map[string]function.Function{}
	addSSHConfig(fns)
	return expr.Value(&hcl.EvalContext{Functions: fns})
}

func TestSSHConfigEncode(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"null", `ssh_config_encode(null)`, ""},
		{"nothing set", `ssh_config_encode({enable = true, include = [], match_blocks = {}, extra_config = ""})`, ""},
		{
			"order: includes, blocks without wildcards, with, Host *, defaults",
			`ssh_config_encode({
				include = ["~/.ssh/config.d/*"]
				match_blocks = {
					all = { host = "*", user = "me" }
					"*.example.org" = { user = "corp" }
					"zz.example.org" = { user = "admin", port = 2222 }
					"a b" = { hostname = "h" }
				}
				forward_agent = false
				server_alive_interval = 60
				extra_config = "VisualHostKey yes"
			})`,
			"Include ~/.ssh/config.d/*\n\nHost a b\n  HostName h\n\nHost zz.example.org\n  User admin\n  Port 2222\n\nHost *.example.org\n  User corp\n\nHost *\n  User me\n\nHost *\n  ForwardAgent no\n  ServerAliveInterval 60\nVisualHostKey yes\n",
		},
		{
			"typed fields in order, extra_options sorted after them, as written",
			`ssh_config_encode({match_blocks = {h = {
				extra_options = { SendEnv = "LANG LC_*", ProxyCommand = "ssh -W %h:%p jump" }
				remote_forwards = [{ bind = { port = 1080 } }, { bind = { address = "/tmp/s" }, host = { address = "/run/s" } }]
				local_forwards = [{ bind = { address = "::1", port = 5432 }, host = { address = "db", port = 5432 } }]
				server_alive_interval = 0
				proxy_jump = "bastion"
				forward_agent = true
				identities_only = true
				identity_file = ["~/.ssh/a", "~/My Keys/b"]
				port = 22
				user = "u"
				hostname = "example.org"
			}}})`,
			"Host h\n  HostName example.org\n  User u\n  Port 22\n  IdentityFile ~/.ssh/a\n  IdentityFile \"~/My Keys/b\"\n  IdentitiesOnly yes\n  ForwardAgent yes\n  ProxyJump bastion\n  ServerAliveInterval 0\n  LocalForward [::1]:5432 db:5432\n  RemoteForward 1080\n  RemoteForward /tmp/s /run/s\n  ProxyCommand ssh -W %h:%p jump\n  SendEnv LANG LC_*\n",
		},
		{
			"values quoted and escaped as ssh reads them",
			`ssh_config_encode({control_path = "a\"b\\c d", user_known_hosts_file = "#k", add_keys_to_agent = " confirm  1h", control_persist = "a=b"})`,
			"Host *\n  AddKeysToAgent confirm 1h\n  UserKnownHostsFile \"#k\"\n  ControlPath \"a\\\"b\\\\c d\"\n  ControlPersist \"a=b\"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, diags := evalSSH(t, tt.src)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if got := v.AsString(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestSSHConfigProblems(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // kind at: message (substring)
	}{
		{"none", `ssh_config_problems({match_blocks = {a = {user = "u"}}}, "p")`, nil},
		{
			"line breaks and NUL",
			`ssh_config_problems({control_path = "a\nb", extra_config = "x\u0000", match_blocks = {"a\nb" = {}, c = {user = "u\r", identity_file = ["ok", "x\ny"], extra_options = {Foo = "1\n2"}}}}, "home.\"alice\".programs.ssh")`,
			[]string{
				`line home."alice".programs.ssh.control_path: a value cannot hold a line break or a NUL character`,
				`line home."alice".programs.ssh.extra_config: extra_config cannot hold a NUL character.`,
				`line home."alice".programs.ssh.match_blocks."a\nb": Host patterns cannot hold a line break`,
				`line home."alice".programs.ssh.match_blocks."c".user: a value cannot hold`,
				`line home."alice".programs.ssh.match_blocks."c".identity_file: a value cannot hold`,
				`line home."alice".programs.ssh.match_blocks."c".extra_options."Foo": a value cannot hold`,
			},
		},
		{
			"keywords",
			`ssh_config_problems({match_blocks = {a = {extra_options = {"Proxy Command" = "x", "Port2" = "1", "" = "x", include = "f", MATCH = "all"}}}}, "p")`,
			[]string{
				`keyword p.match_blocks."a".extra_options."": a keyword is a single word of letters`,
				`structure p.match_blocks."a".extra_options."MATCH": Host and Match start a block`,
				`keyword p.match_blocks."a".extra_options."Port2": a keyword is`,
				`keyword p.match_blocks."a".extra_options."Proxy Command": a keyword is`,
				`structure p.match_blocks."a".extra_options."include": Host and Match`,
			},
		},
		{
			"set twice, ignoring case",
			`ssh_config_problems({match_blocks = {a = {user = "u", identity_file = ["k"], extra_options = {USER = "v", identityfile = "j", Port = "2"}}}}, "home.\"alice\".programs.ssh")`,
			[]string{
				`twice home."alice".programs.ssh.match_blocks."a".extra_options."USER": USER is also set by home.alice.programs.ssh.match_blocks.a.user: set it in one place.`,
				`twice home."alice".programs.ssh.match_blocks."a".extra_options."identityfile": identityfile is also set by home.alice.programs.ssh.match_blocks.a.identity_file`,
			},
		},
		{
			"empty values and numbers out of range",
			`ssh_config_problems({server_alive_count_max = -1, user_known_hosts_file = "", match_blocks = {" " = {}, b = {host = "", port = 70000, extra_options = {Foo = " "}, local_forwards = [{bind = {port = 1}}, {bind = {port = 1}, host = {address = "a b", port = 0}}]}}}, "p")`,
			[]string{
				`range p.server_alive_count_max: server_alive_count_max is a whole number, 0 or more, not -1.`,
				`empty p.user_known_hosts_file: a value cannot be empty`,
				`empty p.match_blocks." ": a value cannot be empty`,
				`empty p.match_blocks."b".host: a value cannot be empty`,
			},
		},
		{
			"numbers and forwards",
			`ssh_config_problems({match_blocks = {b = {port = 70000, server_alive_interval = 1.5, local_forwards = [{bind = {port = 1}}, {bind = {port = 1}, host = {address = "a b", port = 1}}, {bind = {port = 1}, host = {port = 0}}]}}}, "p")`,
			[]string{
				`range p.match_blocks."b".port: port is a whole number from 1 to 65535, not 70000.`,
				`range p.match_blocks."b".server_alive_interval: server_alive_interval is a whole number, 0 or more, not 1.5.`,
				`value p.match_blocks."b".local_forwards: local_forwards[0].host needs a port, an address, or both`,
				`value p.match_blocks."b".local_forwards: local_forwards[1].host.address "a b": an address is`,
				`range p.match_blocks."b".local_forwards: local_forwards[2].host.port is a whole number from 1 to 65535, not 0.`,
			},
		},
		{
			"unknown names and wrong types",
			`ssh_config_problems({forwardAgent = true, compression = "yes", match_blocks = {a = {User = "x", port = "22"}}}, "p")`,
			[]string{
				`value p."forwardAgent": forwardAgent is not an ssh option gocfg knows.`,
				`value p.compression: compression is true, false or null, not string.`,
				`value p.match_blocks."a"."User": User is not an ssh option gocfg knows.`,
				`value p.match_blocks."a".port: port is a number, not string.`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, diags := evalSSH(t, tt.src)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			var got []string
			for it := v.ElementIterator(); it.Next(); {
				_, p := it.Element()
				got = append(got, p.GetAttr("kind").AsString()+" "+p.GetAttr("at").AsString()+": "+p.GetAttr("message").AsString())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d:\ngot  %s\nwant %s...", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestSSHConfigEncodeRefuses: the encoder fails on what
// ssh_config_problems lists, naming the first.
func TestSSHConfigEncodeRefuses(t *testing.T) {
	_, diags := evalSSH(t, `ssh_config_encode({match_blocks = {a = {user = "u\nProxyCommand x"}}})`)
	if !diags.HasErrors() || !strings.Contains(diags.Error(), `match_blocks."a".user: a value cannot hold a line break`) {
		t.Fatalf("got %v", diags)
	}
}

// TestSSHConfigReadBack has ssh itself (ssh -G, where there is one)
// read what the encoder writes: quoted values come back as they were,
// and the first value of a keyword wins in the order written.
func TestSSHConfigReadBack(t *testing.T) {
	ssh, err := exec.LookPath("ssh")
	if err != nil {
		t.Skip("no ssh")
	}
	v, diags := evalSSH(t, `ssh_config_encode({
		match_blocks = {
			"*.example.org" = { user = "corp", port = 2200 }
			"build.example.org" = { user = "ad min", identity_file = ["~/My \"Keys\"/id#1", "C:\\k=1"] }
			all = { host = "*", user = "everyone" }
		}
		control_path = "~/.ssh/a b %C"
		forward_agent = true
		add_keys_to_agent = "confirm 1h"
	})`)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	cfg := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(cfg, []byte(v.AsString()), 0o600); err != nil {
		t.Fatal(err)
	}
	resolve := func(host string) map[string][]string {
		out, err := exec.Command(ssh, "-G", "-F", cfg, host).Output()
		if err != nil {
			t.Fatalf("ssh -G %s: %v\n%s", host, err, v.AsString())
		}
		m := map[string][]string{}
		for _, line := range strings.Split(string(out), "\n") {
			k, val, _ := strings.Cut(line, " ")
			m[k] = append(m[k], val)
		}
		return m
	}
	b := resolve("build.example.org")
	if b["user"][0] != "ad min" || b["port"][0] != "2200" || b["forwardagent"][0] != "yes" {
		t.Errorf("build.example.org: user %q, port %q, forwardagent %q", b["user"], b["port"], b["forwardagent"])
	}
	if got := strings.Join(b["identityfile"], "|"); got != `~/My "Keys"/id#1|C:\k=1` {
		t.Errorf("identityfile %q", got)
	}
	if !strings.HasPrefix(b["controlpath"][0], "~/.ssh/a b ") && !strings.Contains(b["controlpath"][0], "/.ssh/a b ") {
		t.Errorf("controlpath %q", b["controlpath"])
	}
	if got := b["addkeystoagent"]; len(got) != 1 || got[0] != "confirm 3600" {
		t.Errorf("addkeystoagent %q", got)
	}
	if o := resolve("other"); o["user"][0] != "everyone" {
		t.Errorf("other: user %q", o["user"])
	}
}
