package secrets_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/secrets"
)

// TestErrorsInKeyOrder: the errors about several secrets, and about
// several users' secrets, come in the order of the names, the same in
// every run (they came in map order).
func TestErrorsInKeyOrder(t *testing.T) {
	r := homeRig(t)
	f := r.encrypt("ok", "X")
	bad := func(mode, owner string) secrets.Secret { return secrets.Secret{File: f, Owner: owner, Mode: mode} }
	homeBad := secrets.HomeSecret{File: f, Mode: "rw"}
	cfg := r.config(map[string]secrets.Secret{
		"d": bad("0400", "nobody2"), "b": bad("0400", "nobody2"), "a": bad("rw", "root"), "c": bad("rw", "root"),
	})
	sys := []string{`age.secrets."a".mode`, `age.secrets."c".mode`, `age.secrets."b".owner`, `age.secrets."d".owner`}
	home := &secrets.Config{Home: map[string]secrets.HomeAge{
		"zz":  {Secrets: map[string]secrets.HomeSecret{"x": homeBad}},
		"app": {Secrets: map[string]secrets.HomeSecret{"z": homeBad, "y": homeBad, "w": homeBad}},
		"yy":  {Secrets: map[string]secrets.HomeSecret{"x": homeBad}},
	}}
	homes := []string{
		`home.app.age.secrets."w".mode`, `home.app.age.secrets."y".mode`, `home.app.age.secrets."z".mode`,
		`home.yy.age.secrets`, `home.zz.age.secrets`,
	}
	for _, tt := range []struct {
		cfg  *secrets.Config
		want []string
	}{{cfg, sys}, {home, homes}} {
		for range 20 {
			_, err := platform.MakePlan(context.Background(), nil, &secrets.Provider{Machine: r.machine(), Config: tt.cfg})
			if got := configErrorOptions(t, err); !slices.Equal(got, tt.want) {
				t.Fatalf("errors about\n%q\nwant\n%q", got, tt.want)
			}
		}
	}
}

// configErrorOptions lists the options of the ConfigErrors joined in
// err, in order.
func configErrorOptions(t *testing.T, err error) []string {
	t.Helper()
	var opts []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var ce *platform.ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("not a ConfigError: %v", err)
		}
		opts = append(opts, ce.Option)
	}
	walk(err)
	return opts
}

// TestDecodeRecordsFirstErrorInKeyOrder: of several damaged entries, the
// error names the first by name, in every run.
func TestDecodeRecordsFirstErrorInKeyOrder(t *testing.T) {
	for _, tt := range []struct{ data, want string }{
		{`{"secrets": {"d": null, "b": null, "a": null, "c": null}}`, `secret "a"`},
		{`{"homes": {"d": null, "b": null, "a": null, "c": null}}`, `home "a"`},
		{`{"homes": {"u": {"secrets": {"d": null, "b": null, "a": null, "c": null}}}}`, `secret "a" of u`},
	} {
		for range 20 {
			_, err := secrets.DecodeRecords(json.RawMessage(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("%s: error %v, want one about %s", tt.data, err, tt.want)
			}
		}
	}
}
