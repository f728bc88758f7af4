package generations

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRefused(t *testing.T) {
	s, _ := tempStore(t)
	if err := s.Write(gen(1, nested(1, 1, 1, plain))); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(gen(2, nested(1, 1, 1, plain))); err != nil {
		t.Fatal(err)
	}
	if _, refused := s.Refused(1); refused {
		t.Error("generation 1 is refused before anything refused it")
	}
	at := time.Date(2026, 12, 6, 5, 0, 0, 0, time.FixedZone("CET", 3600))
	if err := s.Refuse(2, "health check failed", at); err != nil {
		t.Fatal(err)
	}
	r, refused := s.Refused(2)
	if !refused || r.Reason != "health check failed" || !r.Time.Equal(at) || r.Time.Location() != time.UTC {
		t.Errorf("Refused(2) = %+v, %v; want the reason and the time in UTC", r, refused)
	}
	if _, refused := s.Refused(1); refused {
		t.Error("refusing generation 2 refused generation 1")
	}
	if err := s.Refuse(3, "no such generation", at); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Refuse(3) = %v, want fs.ErrNotExist", err)
	}
	// A damaged marker still marks it refused, and says where.
	p := filepath.Join(s.Path(1), refusedFile)
	if err := os.WriteFile(p, []byte("{trunc"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r, refused := s.Refused(1); !refused || !strings.HasPrefix(r.Reason, p+": ") {
		t.Errorf("Refused(1) with a damaged marker = %+v, %v", r, refused)
	}
}
