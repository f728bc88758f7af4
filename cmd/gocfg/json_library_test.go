package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneJSONLibrary: gocfg reads and writes JSON with one library,
// github.com/goccy/go-json (its state files are large: with 10,000
// dotfiles it encodes and decodes resources.json about three times as
// fast as encoding/json), so that every file behaves the same. Its
// RawMessage and Number are encoding/json's types, so values pass between
// gocfg and its dependencies unchanged.
func TestOneJSONLibrary(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "\t\"encoding/json\"\n") || strings.Contains(string(b), "import \"encoding/json\"\n") {
			t.Errorf("%s imports encoding/json: use json \"github.com/goccy/go-json\"", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
