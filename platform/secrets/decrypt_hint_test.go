package secrets

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/system"
	agesecrets "github.com/gocfg/gocfg/secrets"
)

// TestDecryptHint: each way a decryption fails gets its own remedy
// (tester Q: a damaged file, a missing key and a file not encrypted to
// the host all said "encrypt the file to a recipient…").
func TestDecryptHint(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"no key file", fmt.Errorf("%w: none of /etc/ssh/ssh_host_ed25519_key exists", errNoIdentity), "put the key at one of those paths"},
		{"damaged", fmt.Errorf("x.age: %w", &agesecrets.CorruptError{Reason: "the content does not authenticate"}), "restore it from your repository's history"},
		{"not a recipient", &agesecrets.NoMatchError{Recipients: []string{"X25519"}}, "gocfg secrets rekey"},
		{"passphrase", fmt.Errorf("/root/.ssh/id_ed25519 is protected by a passphrase"), "asks for no passphrase"},
		{"a link out of the home on the way", fmt.Errorf("read the identity: /home/mallory/.ssh/id_ed25519: %w", system.ErrOutside), "a folder on the way to the key is a symlink that leads outside"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := decryptHint(tc.err, "age.identity_paths"); !strings.Contains(got, tc.want) {
				t.Errorf("hint %q, want %q in it", got, tc.want)
			}
		})
	}
}
