package funcs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestFileRefusesSecrets: file() on a decrypted secret fails, saying
// why, before reading it; any other file is read.
func TestFileRefusesSecrets(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "plain.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	var read []string
	file := ForModule(dir, func(p string) ([]byte, error) {
		read = append(read, p)
		return os.ReadFile(p)
	})["file"]
	for _, tc := range []struct {
		path string
		err  string
	}{
		{"plain.txt", ""},
		{"/run/gocfg/secrets/api-token", "a secret gocfg decrypted"},
		{"/run/gocfg/secrets.d/3/api-token", "a secret gocfg decrypted"},
		{"/run/user/1000/gocfg/secrets/netrc", "a secret gocfg decrypted"},
		{"/run/gocfgx/other", "no such file"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			read = nil
			v, err := file.Call([]cty.Value{cty.StringVal(tc.path)})
			switch {
			case tc.err == "" && (err != nil || v.AsString() != "hello"):
				t.Errorf("file(%q) = %#v, %v", tc.path, v, err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("file(%q) error %v, want %q", tc.path, err, tc.err)
			case strings.Contains(tc.err, "secret") && len(read) > 0:
				t.Errorf("file(%q) read %q before it refused", tc.path, read)
			}
		})
	}
}
