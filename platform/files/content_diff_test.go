package files

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/contentdiff"
)

func TestPrivatePath(t *testing.T) {
	tests := []struct {
		root, rel string
		want      bool
	}{
		{"home/alice", ".profile", false},
		{"home/alice", ".config/git/config", false},
		{"home/alice", ".ssh/config", true},
		{"home/alice", ".ssh", true},
		{"home/alice", ".gnupg/gpg.conf", true},
		{"home/alice", ".aws/credentials", true},
		{"home/alice", ".netrc", true},
		{"home/alice", "keys/id_ed25519", true},
		{"home/alice", "keys/id_ed25519.pub", false},
		{"home/alice", "certs/server.key", true},
		{"home/alice", ".config/app/credentials", true},
		{"etc", "motd", false},
		{"etc", "shadow", true},
		{"etc", "sudoers.d/alice", true},
		{"etc", "ssl/private/site.pem", true},
		{"etc", "ssl/certs/site.crt", false},
		// sshd's configuration says who may log in and how: shown, as
		// it is world-readable; the host's private keys are not.
		{"etc", "ssh/sshd_config", false},
		{"etc", "ssh/sshd_config.d/60-gocfg.conf", false},
		{"etc", "ssh/ssh_host_ed25519_key", true},
		{"etc", "ssh/ssh_host_ed25519_key.pub", false},
		{"etc", "ssh/keys/host.pem", true},
	}
	for _, tt := range tests {
		if got := privatePath(tt.root, tt.rel); got != tt.want {
			t.Errorf("privatePath(%q, %q) = %v, want %v", tt.root, tt.rel, got, tt.want)
		}
	}
}

func TestPrivateFile(t *testing.T) {
	tests := []struct {
		f    File
		want bool
	}{
		{File{Root: "home/alice", Rel: ".env", Method: "copy", Mode: 0o644}, false},
		{File{Root: "home/alice", Rel: ".env", Method: "copy", Mode: 0o640}, true},
		{File{Root: "home/alice", Rel: ".env", Method: "link"}, false},
		{File{Root: etcPrivateRoot, Rel: "app.conf", Method: "copy", Mode: 0o644}, true},
	}
	for _, tt := range tests {
		if got := privateFile(&tt.f); got != tt.want {
			t.Errorf("privateFile(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

func TestContentDiff(t *testing.T) {
	if d := ContentDiff([]byte("a\n"), []byte("a\n")); d != nil {
		t.Errorf("equal contents: %+v, want nil", d)
	}
	if d := ContentDiff([]byte("export A=1\n"), []byte("export A=2\n")); d == nil || d.Hidden != "" || strings.Join(d.Lines, "|") != "@@ -1 +1 @@|-export A=1|+export A=2" {
		t.Errorf("a changed line: %+v", d)
	}
	for _, secret := range []string{"export GITHUB_TOKEN=abc\n", "password = hunter2\n", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n"} {
		if d := ContentDiff([]byte("x\n"), []byte(secret)); d == nil || d.Hidden != contentdiff.Sensitive {
			t.Errorf("secret %q in the new content: %+v, want hidden", secret, d)
		}
		if d := ContentDiff([]byte(secret), []byte("x\n")); d == nil || d.Hidden != contentdiff.Sensitive {
			t.Errorf("secret %q in the old content: %+v, want hidden", secret, d)
		}
	}
	if d := ContentDiff([]byte("a\x00"), []byte("b\x00")); d == nil || d.Hidden != contentdiff.Binary {
		t.Errorf("binary: %+v", d)
	}
}

func TestContentDiffs(t *testing.T) {
	contents := map[string]string{
		"a/home/alice/.profile": "export B=2\n", "b/home/alice/.profile": "export B=3\n",
		"a/home/alice/.netrc": "password 1\n", "b/home/alice/.netrc": "password 2\n",
		"a/home/alice/.edited": "x\n", "b/home/alice/.edited": "y\n",
	}
	reader := func(side string) func(root, rel string) ([]byte, error) {
		return func(root, rel string) ([]byte, error) {
			c, ok := contents[side+"/"+root+"/"+rel]
			if !ok {
				return nil, fs.ErrNotExist
			}
			return []byte(c), nil
		}
	}
	file := func(side, rel string, mode fs.FileMode, method string) *File {
		return &File{Path: "/home/alice/" + rel, Root: "home/alice", Rel: rel, Method: method, Mode: mode,
			Hash: hashBytes([]byte(contents[side+"/home/alice/"+rel]))}
	}
	a := &Records{Files: []*File{
		file("a", ".profile", 0, "link"), file("a", ".netrc", 0o600, "copy"), file("a", ".same", 0, "link"),
		{Path: "/home/alice/.edited", Root: "home/alice", Rel: ".edited", Method: "link", Hash: hashBytes([]byte("not what is stored\n"))},
		{Path: "/home/alice/.live", Root: "home/alice", Rel: ".live", Method: "live"},
	}}
	b := &Records{Files: []*File{
		file("b", ".profile", 0, "link"), file("b", ".netrc", 0o600, "copy"), file("b", ".same", 0, "link"),
		file("b", ".edited", 0, "link"), file("b", ".new", 0, "link"),
		{Path: "/home/alice/.live", Root: "home/alice", Rel: ".live", Method: "live"},
	}}
	got := ContentDiffs(a, b, reader("a"), reader("b"))
	if d := got["file:~alice/.profile"]; d == nil || strings.Join(d.Lines, "|") != "@@ -1 +1 @@|-export B=2|+export B=3" {
		t.Errorf(".profile: %+v", d)
	}
	if d := got["file:~alice/.netrc"]; d == nil || d.Hidden != contentdiff.Private {
		t.Errorf(".netrc: %+v, want private", d)
	}
	if len(got) != 2 {
		t.Errorf("diffs for %v, want only .profile and .netrc (.edited's stored content is not its record's)", diffKeys(got))
	}
	if got := ContentDiffs(a, b, nil, reader("b")); got != nil {
		t.Errorf("without a side's contents: %v, want none", got)
	}
	if _, err := readContent(reader("a"), &File{Root: "home/alice", Rel: "../../etc/shadow", Hash: "x"}); !errors.Is(err, errDiffNotLocal) {
		t.Errorf("a path out of the files tree: %v, want errDiffNotLocal", err)
	}
}

func diffKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
