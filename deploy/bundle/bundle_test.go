package bundle

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gocfg/gocfg/internal/testfs"
)

func TestRoundTrip(t *testing.T) {
	repo := t.TempDir()
	write := func(rel, s string, mode os.FileMode) { testfs.WriteMode(t, filepath.Join(repo, rel), s, mode) }
	write("zshrc", "export A=1\n", 0o644)
	write("bin/hello", "#!/bin/sh\necho hi\n", 0o755)
	write("nvim/init.lua", "-- init\n", 0o644)
	write("nvim/lua/plug.lua", "-- plug\n", 0o600)
	write("nvim/shared.lua", "-- umask 002\n", 0o664)
	if err := os.Chmod(filepath.Join(repo, "nvim/lua"), 0o775); err != nil {
		t.Fatal(err)
	}
	write("unused", "not sent\n", 0o644)
	if err := os.Symlink("init.lua", filepath.Join(repo, "nvim/alias.lua")); err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	in := &Bundle{
		Meta:   Meta{Host: "web1", Commit: "abc123", Dirty: true, Version: "v1.2.3"},
		Config: []byte(`{"networking": {"host_name": "web1"}}`),
		Plists: map[string]any{"macos.defaults": map[string]any{"com.apple.dock": map[string]any{
			"autohide": true, "tilesize": int64(48), "delay": 0.5, "when": date, "blob": []byte{1, 2}, "neg": int64(-3), "apps": []any{"a", int64(1)},
		}}},
		// nvim/lua is below nvim: sent once; zshrc twice.
		Sources: []string{filepath.Join(repo, "zshrc"), filepath.Join(repo, "nvim"), filepath.Join(repo, "nvim/lua"), filepath.Join(repo, "bin/hello"), filepath.Join(repo, "zshrc")},
	}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "b")
	if err := Extract(&buf, dir); err != nil {
		t.Fatal(err)
	}
	out, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if out.Meta != in.Meta || string(out.Config) != string(in.Config) {
		t.Errorf("meta/config: %+v %s", out.Meta, out.Config)
	}
	if !reflect.DeepEqual(out.Plists, in.Plists) {
		t.Errorf("plists:\n got %#v\nwant %#v", out.Plists, in.Plists)
	}
	src := SourceRoot(dir)
	for rel, want := range map[string]string{"zshrc": "export A=1\n", "bin/hello": "#!/bin/sh\necho hi\n", "nvim/init.lua": "-- init\n", "nvim/lua/plug.lua": "-- plug\n"} {
		got, err := os.ReadFile(filepath.Join(src, repo, rel))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", rel, got, err)
		}
	}
	// Without write for group and others (reviewer R6: a sender's umask
	// 002 made the host's root refuse them).
	for rel, mode := range map[string]os.FileMode{"bin/hello": 0o755, "nvim/lua/plug.lua": 0o600, "zshrc": 0o644, "nvim/shared.lua": 0o644, "nvim/lua": 0o755} {
		if fi, err := os.Stat(filepath.Join(src, repo, rel)); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, %v; want %v", rel, fi.Mode(), err, mode)
		}
	}
	if target, err := os.Readlink(filepath.Join(src, repo, "nvim/alias.lua")); err != nil || target != "init.lua" {
		t.Errorf("link: %q, %v", target, err)
	}
	if _, err := os.Lstat(filepath.Join(src, repo, "unused")); !os.IsNotExist(err) {
		t.Errorf("a file no source names was sent: %v", err)
	}
}

func TestWriteRefuses(t *testing.T) {
	for _, tt := range []struct {
		name, source, err string
	}{
		{"missing", "/nonexistent/gocfg-source", "source lstat /nonexistent/gocfg-source: no such file or directory"},
		{"relative", "dots/zshrc", "source dots/zshrc: not an absolute path"},
	} {
		err := Write(&bytes.Buffer{}, &Bundle{Config: []byte("{}"), Sources: []string{tt.source}})
		if err == nil || err.Error() != tt.err {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.err)
		}
	}
}

// tarOf builds a tar stream with manifest m (JSON) and hs, each regular
// one with content "x" (whose SHA-256 is xSum).
func tarOf(t *testing.T, m string, hs ...tar.Header) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	head := []tar.Header{{Name: "gocfg-bundle", Typeflag: tar.TypeReg, Mode: 0o644, Size: 2}, {Name: "manifest.json", Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(m))}}
	for _, h := range append(head, hs...) {
		if h.Typeflag == tar.TypeReg && h.Size == 0 {
			h.Size = 1
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			data := "x"
			switch h.Name {
			case "gocfg-bundle":
				data = "2\n"
			case "manifest.json":
				data = m
			}
			if _, err := tw.Write([]byte(data)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf
}

const xSum = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"

func TestExtractRefuses(t *testing.T) {
	reg := func(name string) tar.Header { return tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644} }
	file := func(p string) string {
		return `{"path":"` + p + `","type":"file","mode":420,"size":1,"sha256":"` + xSum + `"}`
	}
	tests := []struct {
		name, manifest string
		hs             []tar.Header
		err            string
	}{
		{"dot dot", "[]", []tar.Header{reg("src/../../evil")}, "the name leaves the bundle's folder"},
		{"absolute", "[]", []tar.Header{reg("/etc/evil")}, "the name leaves the bundle's folder"},
		{"unknown entry", "[]", []tar.Header{reg("evil")}, "not an entry of a gocfg bundle"},
		{"below a link", `[{"path":"/l","type":"link","target":"/etc"}]`, []tar.Header{reg("src/l/passwd")}, "it lies below src/l, a link"},
		{"listed below a link", `[{"path":"/l","type":"link","target":"/etc"},` + file("/l/passwd") + `]`, nil, "manifest: /l/passwd: it lies below /l, a link"},
		{"unclean path", `[` + file("/a/../../evil") + `]`, nil, "not a clean absolute path"},
		{"relative path", `[` + file("evil") + `]`, nil, "not a clean absolute path"},
		{"a folder in the stream", "[]", []tar.Header{{Name: "src/d/", Typeflag: tar.TypeDir, Mode: 0o755}}, "only files are sent"},
		{"a link in the stream", "[]", []tar.Header{{Name: "src/l", Typeflag: tar.TypeSymlink, Linkname: "/etc"}}, "only files are sent"},
		{"device", "[]", []tar.Header{{Name: "src/dev", Typeflag: tar.TypeChar, Mode: 0o644}}, "only files are sent"},
		{"not listed", "[]", []tar.Header{reg("src/a")}, "a file the manifest does not list"},
		{"twice", "[" + file("/a") + "]", []tar.Header{reg("src/a"), reg("src/a")}, "file exists"},
		{"another content", `[{"path":"/a","type":"file","mode":420,"size":1,"sha256":"` + strings.Repeat("0", 64) + `"}]`, []tar.Header{reg("src/a")}, "its SHA-256 is not the manifest's"},
		{"neither sent nor found", "[" + file("/etc/motd") + "]", nil, "bundle: src/etc/motd: listed in the manifest but neither sent nor in the previous bundle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			err := Extract(tarOf(t, tt.manifest, tt.hs...), filepath.Join(root, "b"))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if _, err := os.Lstat(filepath.Join(root, "evil")); err == nil {
				t.Error("something was written outside the folder")
			}
		})
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Extract(tarOf(t, "[]"), dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("into a folder that is not empty: %v", err)
	}
	var empty bytes.Buffer
	if err := tar.NewWriter(&empty).Close(); err != nil {
		t.Fatal(err)
	}
	if err := Extract(&empty, filepath.Join(t.TempDir(), "b")); err == nil || !strings.Contains(err.Error(), "not a gocfg bundle") {
		t.Errorf("no marker: %v", err)
	}
}

// checkReceived checks that the sources of TestReuse's repo are whole in
// the extracted bundle dir.
func checkReceived(t *testing.T, repo, dir string) {
	t.Helper()
	for rel, mode := range map[string]os.FileMode{"dot/zshrc": 0o644, "dot/bin/hello": 0o755, "motd": 0o600} {
		want, _ := os.ReadFile(filepath.Join(repo, rel))
		p := filepath.Join(SourceRoot(dir), repo, rel)
		got, err := os.ReadFile(p)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: %q, %v; want %q", rel, got, err, want)
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, %v", rel, fi.Mode(), err)
		}
	}
	if target, err := os.Readlink(filepath.Join(SourceRoot(dir), repo, "dot/alias")); err != nil || target != "zshrc" {
		t.Errorf("link: %q, %v", target, err)
	}
}

// TestReuse: a second bundle of the same sources sends no file, one with
// a changed file sends that file only; the host's folder is whole either
// way, its other files copied from the previous bundle and checked.
func TestReuse(t *testing.T) {
	repo := t.TempDir()
	write := func(rel, s string, mode os.FileMode) { testfs.WriteMode(t, filepath.Join(repo, rel), s, mode) }
	write("dot/zshrc", "export A=1\n", 0o644)
	write("dot/bin/hello", "#!/bin/sh\necho hi\n", 0o755)
	write("motd", "v1\n", 0o600)
	if err := os.Symlink("zshrc", filepath.Join(repo, "dot/alias")); err != nil {
		t.Fatal(err)
	}
	sources := []string{filepath.Join(repo, "dot"), filepath.Join(repo, "motd")}
	// send makes the manifest, asks the previous bundle (last) what it
	// lacks, sends that into a new folder and returns it, the files sent
	// and the bytes of the stream.
	n := 0
	send := func(last string) (string, []string, int) {
		t.Helper()
		m, err := MakeManifest(sources)
		if err != nil {
			t.Fatal(err)
		}
		missing := m.Missing(last)
		b := &Bundle{Config: []byte("{}"), Manifest: m, Send: map[string]bool{}}
		for _, p := range missing {
			b.Send[p] = true
		}
		var buf bytes.Buffer
		if err := Write(&buf, b); err != nil {
			t.Fatal(err)
		}
		size := buf.Len()
		n++
		dir := filepath.Join(t.TempDir(), fmt.Sprintf("run-%d", n))
		if err := ExtractReusing(&buf, dir, last); err != nil {
			t.Fatal(err)
		}
		checkReceived(t, repo, dir)
		if b2, err := Read(dir); err != nil || len(b2.Manifest) != len(m) {
			t.Errorf("Read: %v, %d entries", err, len(b2.Manifest))
		}
		return dir, missing, size
	}
	first, sent, _ := send("")
	if len(sent) != 3 {
		t.Errorf("first: sent %v, want every file", sent)
	}
	second, sent, size := send(first)
	if len(sent) != 0 {
		t.Errorf("second: sent %v, want none", sent)
	}
	t.Logf("a bundle of unchanged sources: %d bytes", size)
	write("motd", "v2\n", 0o600)
	third, sent, _ := send(second)
	if want := filepath.ToSlash(filepath.Join(repo, "motd")); len(sent) != 1 || sent[0] != want {
		t.Errorf("one file changed: sent %v, want [%s]", sent, want)
	}
	// A previous copy that was altered is sent again.
	if err := os.WriteFile(filepath.Join(SourceRoot(third), repo, "dot/zshrc"), []byte("export A=2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, sent, _ = send(third); len(sent) != 1 || !strings.HasSuffix(sent[0], "/dot/zshrc") {
		t.Errorf("an altered copy: sent %v", sent)
	}
	// A file the host was said to have but has not: an error naming it.
	m, err := MakeManifest(sources)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, &Bundle{Config: []byte("{}"), Manifest: m, Send: map[string]bool{}}); err != nil {
		t.Fatal(err)
	}
	err = ExtractReusing(&buf, filepath.Join(t.TempDir(), "b"), filepath.Join(t.TempDir(), "nothing"))
	if want := "bundle: src" + filepath.ToSlash(filepath.Join(repo, "dot/bin/hello")) + ": listed in the manifest but neither sent nor in the previous bundle"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want %s", err, want)
	}
	// A source that changes between the manifest and the stream.
	write("motd", "v3\n", 0o600)
	if err := Write(io.Discard, &Bundle{Config: []byte("{}"), Manifest: m}); err == nil || !strings.Contains(err.Error(), "changed while it was sent") {
		t.Errorf("changed: %v", err)
	}
}

func TestReadRefusesOtherVersions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gocfg-bundle"), []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), `bundle format "1\n"; this gocfg reads format 2`) {
		t.Errorf("err = %v", err)
	}
}
