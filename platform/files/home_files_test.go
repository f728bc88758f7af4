package files

import (
	"errors"
	"testing"

	"github.com/gocfg/gocfg/platform"
)

// TestConfigWithHomeFiles: home_files joins home.<user>.files, and a
// target in both is an error that names the option making the file
// (the modules' assert reports it first; this is the provider's own
// guard).
func TestConfigWithHomeFiles(t *testing.T) {
	tests := []struct {
		name, js         string
		wantErr, wantFix string
		wantTargets      int
	}{
		{
			name: "joined",
			js: `{"home": {"alice": {"files": {".x": {"text": "x"}}}},
			      "home_files": {"alice": {".config/git/config": {"text": "g", "generated_by": "home.alice.programs.git"}}}}`,
			wantTargets: 2,
		},
		{
			name: "clash names the option",
			js: `{"home": {"alice": {"files": {".config/git/config": {"text": "x"}}}},
			      "home_files": {"alice": {".config/git/config": {"text": "g", "generated_by": "home.alice.programs.git"}}}}`,
			wantErr: `home.alice.files.".config/git/config": home.alice.programs.git makes this file too`,
			wantFix: "remove it from home.alice.files or turn off home.alice.programs.git",
		},
		{
			name: "clash from a module that does not say",
			js: `{"home": {"alice": {"files": {".y": {"text": "x"}}}},
			      "home_files": {"alice": {".y": {"text": "g"}}}}`,
			wantErr: `home.alice.files.".y": a module (home_files.alice.".y") makes this file too`,
			wantFix: "remove it from home.alice.files or turn off the option that makes it",
		},
		{
			name: "no module makes it, though files has it",
			js: `{"home": {"alice": {"files": {".x": {"text": "x"}}}},
			      "home_files": {"alice": {".x": {"force": true}}}}`,
			wantErr: `home_files.alice.".x": no module makes this file: home_files sets options (such as force) of the files modules make`,
			wantFix: "put a file of your own in home.alice.files",
		},
		{
			name: "no module makes it",
			js: `{"home": {"alice": {"files": {".x": {"text": "x"}}}},
			      "home_files": {"alice": {".foo": {"force": true}}}}`,
			wantErr: `home_files.alice.".foo": no module makes this file: home_files sets options (such as force) of the files modules make`,
			wantFix: "put a file of your own in home.alice.files",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := configWithHomeFiles([]byte(tt.js))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := len(c.Home["alice"].Files); got != tt.wantTargets {
					t.Errorf("alice has %d files, want %d", got, tt.wantTargets)
				}
				return
			}
			var ce *platform.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a ConfigError", err)
			}
			if ce.Error() != tt.wantErr || ce.Hint != tt.wantFix {
				t.Errorf("error %q, hint %q; want %q, %q", ce.Error(), ce.Hint, tt.wantErr, tt.wantFix)
			}
		})
	}
}
