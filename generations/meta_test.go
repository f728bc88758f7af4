package generations

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
)

// TestMetaDamaged: a meta.json that is not what gocfg wrote is a
// *DamagedError naming the file, never a Meta of zero values.
func TestMetaDamaged(t *testing.T) {
	good := `{"number":1,"time":"2025-01-02T03:04:05Z","version":"test","host":"atlas","source":"/src","summary":{"add":1,"change":0,"remove":0}}`
	for _, tc := range []struct {
		name, content, want string
	}{
		{"empty", "", "the file is empty"},
		{"NUL bytes", "\x00\x00\x00\x00", "only NUL bytes"},
		{"white space", " \n", "only white space"},
		{"truncated", good[:40], "truncated or not the JSON gocfg writes"},
		{"not JSON", "number = 1\n", "not a JSON object"},
		{"array", `[{"number":1}]`, "not a JSON object"},
		{"null", "null", "not a JSON object"},
		{"string", `"meta"`, "not a JSON object"},
		{"empty object", "{}", "it says generation 0, not 1"},
		{"wrong number", strings.Replace(good, `"number":1`, `"number":7`, 1), "it says generation 7, not 1"},
		{"wrong type", strings.Replace(good, `"number":1`, `"number":"1"`, 1), "truncated or not the JSON gocfg writes"},
		{"no time", strings.Replace(good, `"time":"2025-01-02T03:04:05Z",`, ``, 1), "it has no time"},
		{"trailing garbage", good + "}", "truncated or not the JSON gocfg writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := tempStore(t)
			if err := s.Write(gen(1, nil)); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(s.Path(1), "meta.json")
			if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := s.Meta(1)
			var de *DamagedError
			if !errors.As(err, &de) || de.Path != p {
				t.Fatalf("Meta(1) = %+v, %v; want a *DamagedError for %s", m, err, p)
			}
			if want := p + ": damaged: "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %q…%q", err, want, tc.want)
			}
		})
	}
	t.Run("intact", func(t *testing.T) {
		s, _ := tempStore(t)
		if err := s.Write(gen(1, nil)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(s.Path(1), "meta.json"), []byte(good), 0o644); err != nil {
			t.Fatal(err)
		}
		if m, err := s.Meta(1); err != nil || m.Number != 1 || m.Host != "atlas" {
			t.Errorf("Meta(1) = %+v, %v", m, err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		s := New(system.NewReal(), tempState(t))
		var de *DamagedError
		if _, err := s.Meta(1); !errors.Is(err, os.ErrNotExist) || errors.As(err, &de) {
			t.Errorf("Meta of a generation that does not exist: %v, want fs.ErrNotExist", err)
		}
	})
}
