package funcs

import (
	"fmt"
	"path/filepath"
	"regexp"
)

// secretFile matches the folders gocfg decrypts secrets into
// (platform/secrets): the system's /run/gocfg (the set behind
// /run/gocfg/secrets) and a user's $XDG_RUNTIME_DIR/gocfg.
var secretFile = regexp.MustCompile(`^/run/(gocfg|user/[0-9]+/gocfg)/`)

// refuseSecret fails file() on a decrypted secret, by its path or by
// where its links lead (a system secret's path is a link into
// /run/gocfg/secrets): its plaintext would go into the configuration,
// and from there into the store, the generation and the evaluation
// cache, on disk (tester Q, as a sops-nix user writing a template).
func refuseSecret(p string) error {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		real = p
	}
	if !secretFile.MatchString(p) && !secretFile.MatchString(real) {
		return nil
	}
	return fmt.Errorf("%s: a secret gocfg decrypted: file() would put its plaintext into the configuration, the store and the generation; "+
		"point the program at the secret's own file (its path), or have the configuration file include it (gocfg has no templates yet)", p)
}
