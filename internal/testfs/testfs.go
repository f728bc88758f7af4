package testfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Write writes content to path with mode 0644, making the parent
// folders (0755) first.
func Write(t testing.TB, path, content string) {
	t.Helper()
	WriteMode(t, path, content, 0o644)
}

// WriteMode writes content to path with exactly mode (the umask does
// not apply), making the parent folders (0755) first.
func WriteMode(t testing.TB, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// Tree writes files (a slash-separated path below dir → its content)
// below dir, each as Write does, and returns dir.
func Tree(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		Write(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	return dir
}

// Read returns the content of the file at path.
func Read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
