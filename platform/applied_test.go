package platform_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/generations"
	"github.com/gocfg/gocfg/platform"
)

// TestDecodeAppliedDamaged: a resources.json that is not what gocfg
// wrote is a *generations.DamagedError naming the file, never "no
// resources" (which made status report no drift and switch --backup-ext
// back up gocfg's own links).
func TestDecodeAppliedDamaged(t *testing.T) {
	const path = "/var/lib/gocfg/generations/3/resources.json"
	good := `{"version":1,"records":{"files":{"files":[],"dirs":[]},"hostname":{},"names":null}}`
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "", "the file is empty"},
		{"NUL bytes", "\x00\x00\x00", "only NUL bytes"},
		{"white space", "\n\n", "only white space"},
		{"truncated", good[:30], "truncated or not the JSON gocfg writes"},
		{"not JSON", "version = 1", "not a JSON object"},
		{"array", `[]`, "not a JSON object"},
		{"null", `null`, "not a JSON object"},
		{"empty object", `{}`, "it has no version"},
		{"no records", `{"version":1}`, "it has no records"},
		{"null records", `{"version":1,"records":null}`, "it has no records"},
		{"records an array", `{"version":1,"records":[]}`, "truncated or not the JSON gocfg writes"},
		{"a record a string", `{"version":1,"records":{"files":"x"}}`, `the records of "files" are not a JSON object`},
		{"a record an array", `{"version":1,"records":{"files":[]}}`, `the records of "files" are not a JSON object`},
		{"version a string", `{"version":"1","records":{}}`, "truncated or not the JSON gocfg writes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := platform.DecodeAppliedFile(path, []byte(tc.data))
			var de *generations.DamagedError
			if !errors.As(err, &de) || de.Path != path {
				t.Fatalf("DecodeAppliedFile = %v, %v; want a *generations.DamagedError for %s", a, err, path)
			}
			if !strings.HasPrefix(err.Error(), path+": damaged: ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %q", err, tc.want)
			}
		})
	}

	t.Run("intact", func(t *testing.T) {
		a, err := platform.DecodeAppliedFile(path, []byte(good))
		if err != nil || len(a) != 3 {
			t.Errorf("DecodeAppliedFile = %v, %v", a, err)
		}
		a, err = platform.DecodeAppliedFile(path, []byte(`{"version":1,"records":{}}`))
		if err != nil || a == nil || len(a) != 0 {
			t.Errorf("no records at all: %v, %v; want an empty Applied", a, err)
		}
	})

	t.Run("newer version", func(t *testing.T) {
		_, err := platform.DecodeAppliedFile(path, []byte(`{"version":2,"records":{}}`))
		var de *generations.DamagedError
		if err == nil || errors.As(err, &de) || err.Error() != path+": version 2, this gocfg reads version 1" {
			t.Errorf("DecodeAppliedFile of version 2: %v; want a version error, not damage", err)
		}
	})
}

// TestDecodeAppliedDamagedFirstByName: of several damaged providers'
// records, the error names the first by name, in every run.
func TestDecodeAppliedDamagedFirstByName(t *testing.T) {
	data := []byte(`{"version":1,"records":{"users":"x","hostname":[],"files":"x","packages":1}}`)
	for range 20 {
		_, err := platform.DecodeAppliedFile("/g/resources.json", data)
		if err == nil || !strings.Contains(err.Error(), `the records of "files" are not a JSON object`) {
			t.Fatalf("error %v, want the one about files", err)
		}
	}
}
