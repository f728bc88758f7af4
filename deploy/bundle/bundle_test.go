package bundle

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	repo := t.TempDir()
	write := func(rel, s string, mode os.FileMode) {
		p := filepath.Join(repo, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("zshrc", "export A=1\n", 0o644)
	write("bin/hello", "#!/bin/sh\necho hi\n", 0o755)
	write("nvim/init.lua", "-- init\n", 0o644)
	write("nvim/lua/plug.lua", "-- plug\n", 0o600)
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
	if !samePlists(out.Plists, in.Plists) {
		t.Errorf("plists:\n got %#v\nwant %#v", out.Plists, in.Plists)
	}
	src := SourceRoot(dir)
	for rel, want := range map[string]string{"zshrc": "export A=1\n", "bin/hello": "#!/bin/sh\necho hi\n", "nvim/init.lua": "-- init\n", "nvim/lua/plug.lua": "-- plug\n"} {
		got, err := os.ReadFile(filepath.Join(src, repo, rel))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", rel, got, err)
		}
	}
	for rel, mode := range map[string]os.FileMode{"bin/hello": 0o755, "nvim/lua/plug.lua": 0o600, "zshrc": 0o644} {
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

// tarOf builds a tar stream of hs, each regular one with content "x".
func tarOf(t *testing.T, hs ...tar.Header) *bytes.Buffer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range append([]tar.Header{{Name: "gocfg-bundle", Typeflag: tar.TypeReg, Mode: 0o644, Size: 2}}, hs...) {
		if h.Typeflag == tar.TypeReg && h.Size == 0 {
			h.Size = 1
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			data := "x"
			if h.Name == "gocfg-bundle" {
				data = "1\n"
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

func TestExtractRefuses(t *testing.T) {
	reg := func(name string) tar.Header { return tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644} }
	tests := []struct {
		name string
		hs   []tar.Header
		err  string
	}{
		{"dot dot", []tar.Header{reg("src/../../evil")}, "the name leaves the bundle's folder"},
		{"absolute", []tar.Header{reg("/etc/evil")}, "the name leaves the bundle's folder"},
		{"unknown entry", []tar.Header{reg("evil")}, "not an entry of a gocfg bundle"},
		{"below a link", []tar.Header{{Name: "src/l", Typeflag: tar.TypeSymlink, Linkname: "/etc"}, reg("src/l/passwd")}, "it lies below src/l, a link"},
		{"device", []tar.Header{{Name: "src/dev", Typeflag: tar.TypeChar, Mode: 0o644}}, "only files, folders and links are extracted"},
		{"twice", []tar.Header{reg("src/a"), reg("src/a")}, "file exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			err := Extract(tarOf(t, tt.hs...), filepath.Join(root, "b"))
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
	if err := Extract(tarOf(t), dir); err == nil || !strings.Contains(err.Error(), "not empty") {
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

func TestReadRefusesOtherVersions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gocfg-bundle"), []byte("2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), `bundle format "2\n"; this gocfg reads format 1`) {
		t.Errorf("err = %v", err)
	}
}
