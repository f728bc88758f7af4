package secrets_test

import (
	"io/fs"
	"testing"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/secrets"
)

// TestWrittenFacts: a plan that decrypts a secret anew tells the
// providers after it (platform.Facts.Written) its live path and its link,
// with its owner and mode, to be read after the swap; one it removes, as
// gone (users.<name>.hashed_password_file reads them: reviewer).
func TestWrittenFacts(t *testing.T) {
	r := newRig(t)
	cfg := r.config(map[string]secrets.Secret{
		"token": {File: r.encrypt("token", "T"), Path: str("/etc/app/token"), Owner: "app", Group: str("keys"), Mode: "0440"},
		"db":    {File: r.encrypt("db", "D"), Owner: "root", Mode: "0400"},
	})
	written := func(c *secrets.Config) map[string]platform.Written {
		t.Helper()
		var applied []byte
		if n := r.sw.Current(); n > 0 {
			applied = r.sw.Records(n, "secrets")
		}
		part, err := (&secrets.Provider{Machine: r.machine(), Config: c}).PlanWith(t.Context(), applied, platform.Facts{})
		if err != nil {
			t.Fatal(err)
		}
		if part.Facts == nil {
			return nil
		}
		return part.Facts.Written
	}
	got := written(cfg)
	want := map[string]platform.Written{
		"/run/gocfg/secrets/token": {After: "secrets:swap", Owner: "app", Mode: 0o440},
		"/etc/app/token":           {After: "secrets:swap", Owner: "app", Mode: 0o440},
		"/run/gocfg/secrets/db":    {After: "secrets:swap", Owner: "root", Mode: fs.FileMode(0o400)},
	}
	if len(got) != len(want) {
		t.Errorf("written %+v, want %+v", got, want)
	}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("%s: %+v, want %+v", p, got[p], w)
		}
	}
	r.switchTo(cfg)
	if got := written(cfg); len(got) != 0 {
		t.Errorf("nothing changed, yet written %+v", got)
	}
	delete(cfg.Secrets, "db")
	if got := written(cfg)["/run/gocfg/secrets/db"]; !got.Gone || got.After != "secrets:swap" {
		t.Errorf("db removed: %+v, want gone after the swap", got)
	}
	// Renamed, its path kept: the path is written (by the new name,
	// which sorts before the old one here), not gone (reviewer).
	cfg.Secrets["app-token"] = cfg.Secrets["token"]
	delete(cfg.Secrets, "token")
	if got := written(cfg)["/etc/app/token"]; got.Gone || got.Owner != "app" {
		t.Errorf("token renamed, path kept: %+v, want written", got)
	}
}
