package recdiff_test

import (
	"errors"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/recdiff"
)

func TestLooksSecret(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"environment.API_TOKEN", "abc", true},
		{"environment.DB_PASSWORD", "", true},
		{"Passphrase", "x", true},
		{"GITHUB_TOKEN", "x", true},
		{"client_secret", "x", true},
		{"aws_access_key_id", "x", true},
		{"environment.PORT", "8080", false},
		{"shell", "/bin/zsh", false},
		{"exec_start", "/usr/bin/web --port 80", false},
		{"exec_start", "/usr/bin/web --password hunter2", true},
		{"exec_start", "/usr/bin/web --api-key=abc", true},
		{"exec_start", "/usr/bin/web -p 80 --token-file /run/token", true}, // a false alarm, on the safe side
		{"exec_start", "/usr/bin/tokenizer --mode fast", false},
		{"", "DB_PASSWORD=hunter2", true},
		{"", `{"api_key": "abc"}`, true},
		{"", "/etc/passwd", false},
		{"", "link → /etc/secrets.d/app.conf", false},
		{"", "ghp_0123456789abcdefghijABCDEFGHIJ", true},
		{"", "xoxb-1234567890-abcdef", true},
		{"", "AKIAIOSFODNN7EXAMPLE", true},
		{"", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl", true},
		{"", "https://alice:hunter2@example.org/repo.git", true},
		{"", "https://example.org/repo.git", false},
		{"", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", true},
		{"", "link, content 1a2b3c4d", false},
	}
	for _, tt := range tests {
		if got := recdiff.LooksSecret(tt.name, tt.value); got != tt.want {
			t.Errorf("LooksSecret(%q, %q) = %v, want %v", tt.name, tt.value, got, tt.want)
		}
	}
}

func TestNewFieldHides(t *testing.T) {
	tests := []struct {
		name, before, after string
		want                recdiff.Field
	}{
		{"shell", "/bin/bash", "/bin/zsh", recdiff.Field{Name: "shell", Before: "/bin/bash", After: "/bin/zsh"}},
		// A secret's name hides both sides, but not that one is absent.
		{"environment.API_TOKEN", recdiff.None, "abc", recdiff.Field{Name: "environment.API_TOKEN", Before: recdiff.None, After: recdiff.Hidden, Sensitive: true}},
		{"environment.API_TOKEN", "a", "b", recdiff.Field{Name: "environment.API_TOKEN", Before: recdiff.Hidden, After: recdiff.Hidden, Sensitive: true}},
		// A secret in a value hides that value only.
		{"exec_start", "/usr/bin/a", "/usr/bin/a --password x", recdiff.Field{Name: "exec_start", Before: "/usr/bin/a", After: recdiff.Hidden, Sensitive: true}},
	}
	for _, tt := range tests {
		if got := recdiff.NewField(tt.name, tt.before, tt.after); got != tt.want {
			t.Errorf("NewField(%q, %q, %q) = %+v, want %+v", tt.name, tt.before, tt.after, got, tt.want)
		}
	}
	if got := recdiff.Value("ApiToken", `"a"`, `"b"`); got.Before != recdiff.Hidden || got.After != recdiff.Hidden || got.Name != "" {
		t.Errorf("Value with a secret's key = %+v, want both hidden and no name", got)
	}
}

func TestViewPrint(t *testing.T) {
	r := &recdiff.Result{Changes: []recdiff.Change{
		{ID: "unit:system:web.service", Kind: "unit", Action: platform.Update, Fields: []recdiff.Field{
			recdiff.NewField("exec_start", "/usr/bin/a", "/usr/bin/b"),
			recdiff.NewField("restart", "no", "always"),
		}},
		recdiff.Created("user:carol", "user", recdiff.Value("", "", "uid 1002")),
		recdiff.Created("package:apt:ripgrep", "package"),
		recdiff.Deleted("user:bob", "user", recdiff.NewField("uid", "1003", ""), recdiff.NewField("shell", "/bin/sh", "")),
		{ID: "hostname", Kind: "hostname", Action: platform.Update, Fields: []recdiff.Field{recdiff.Value("", "atlas", "zeus\x1b[2J")}},
	}, Warnings: []string{"the records of \"x\" differ"}}
	var b strings.Builder
	if err := (recdiff.View{Out: &b}).Print(r, "From generation 1 to 2:", "No differences."); err != nil {
		t.Fatal(err)
	}
	want := `From generation 1 to 2:

  ~ unit:system:web.service  exec_start: /usr/bin/a → /usr/bin/b
                             restart: no → always
  + user:carol               uid 1002
  + package:apt:ripgrep
  - user:bob                 uid: 1003, shell: /bin/sh
  ~ hostname                 atlas → "zeus\x1b[2J"

warning: the records of "x" differ

Differences: 2 added, 2 changed, 1 removed.
`
	if b.String() != want {
		t.Errorf("Print:\n%s\nwant:\n%s", b.String(), want)
	}

	b.Reset()
	if err := (recdiff.View{Out: &b}).Print(&recdiff.Result{}, "title", "No differences."); err != nil {
		t.Fatal(err)
	}
	if b.String() != "No differences.\n" {
		t.Errorf("Print of nothing = %q", b.String())
	}
}

func TestJSON(t *testing.T) {
	r := &recdiff.Result{Changes: []recdiff.Change{
		{ID: "user:alice", Kind: "user", Action: platform.Update, Fields: []recdiff.Field{recdiff.NewField("shell", "/bin/bash", "/bin/zsh")}},
		recdiff.Created("package:apt:ripgrep", "package"),
	}}
	data, err := json.Marshal(recdiff.NewJSON(r, 1, 2))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"format_version":"1","from":1,"to":2,"changes":[` +
		`{"id":"user:alice","kind":"user","action":"update","before":"shell: /bin/bash","after":"shell: /bin/zsh","fields":[{"name":"shell","before":"/bin/bash","after":"/bin/zsh"}]},` +
		`{"id":"package:apt:ripgrep","kind":"package","action":"create","fields":[]}],` +
		`"warnings":[],"summary":{"add":1,"change":1,"remove":0}}`
	if string(data) != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", data, want)
	}
}

func TestDiffUnknownProvider(t *testing.T) {
	a := recdiff.Generation{Records: platform.Applied{"zzz-unknown": json.RawMessage(`{"a": 1}`), "zzz-same": json.RawMessage(`{"a": [1, 2]}`)}}
	b := recdiff.Generation{Records: platform.Applied{"zzz-unknown": json.RawMessage(`{"a": 2}`), "zzz-same": json.RawMessage(`{"a":[1,2]}`)}}
	r, err := recdiff.Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Empty() || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], `"zzz-unknown"`) {
		t.Errorf("Diff = %+v, want no change and one warning about zzz-unknown", r)
	}
}

func TestDiffDecodeError(t *testing.T) {
	a := recdiff.Generation{Records: platform.Applied{"users": json.RawMessage(`{"users": []}`)}}
	b := recdiff.Generation{Records: platform.Applied{"users": json.RawMessage(`{"users": "none"}`)}}
	_, err := recdiff.Diff(a, b)
	var de *recdiff.DecodeError
	if !errors.As(err, &de) || !de.B || !strings.Contains(err.Error(), "users records") {
		t.Errorf("Diff of damaged b = %v, want a DecodeError of b", err)
	}
	_, err = recdiff.Diff(b, a)
	if !errors.As(err, &de) || de.B {
		t.Errorf("Diff of damaged a = %v, want a DecodeError of a", err)
	}
}

func TestNoRecords(t *testing.T) {
	for _, rec := range []string{``, `null`, `{}`, ` { } `} {
		cs, err := recdiff.NoRecords.DiffRecords(recdiff.Side{Records: json.RawMessage(rec)}, recdiff.Side{})
		if err != nil || len(cs) != 0 {
			t.Errorf("NoRecords of %q = %v, %v", rec, cs, err)
		}
	}
	_, err := recdiff.NoRecords.DiffRecords(recdiff.Side{}, recdiff.Side{Records: json.RawMessage(`{"x": 1}`)})
	var de *recdiff.DecodeError
	if !errors.As(err, &de) || !de.B {
		t.Errorf("NoRecords of records = %v, want a DecodeError of b", err)
	}
}

func TestReadChecksHash(t *testing.T) {
	files := map[string]string{"systemd/system/web.service": "[Service]\nExecStart=/a\n"}
	c := func(root, rel string) ([]byte, error) {
		s, ok := files[root+"/"+rel]
		if !ok {
			return nil, errors.New("missing")
		}
		return []byte(s), nil
	}
	const hash = "3d9d8d3ee2e3f3c77b4c9a5e4cbd8e1a2b5c2f7d2d4a6e0c1c0b8f6d2e2b8a4c"
	if _, ok := recdiff.Read(c, "systemd/system", "web.service", hash); ok {
		t.Error("Read with the wrong hash succeeded")
	}
	if _, ok := recdiff.Read(c, "../..", "etc/shadow", hash); ok {
		t.Error("Read outside the files tree succeeded")
	}
	if _, ok := recdiff.Read(nil, "systemd/system", "web.service", hash); ok {
		t.Error("Read without Content succeeded")
	}
}
