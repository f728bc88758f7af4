package secrets

import (
	"maps"
	"slices"
	"strconv"

	"github.com/gocfg/gocfg/platform"
	agesecrets "github.com/gocfg/gocfg/secrets"
)

// CheckFiles reads the ciphertext file of every secret of c with read
// (os.ReadFile where the configuration is evaluated): gocfg deploy finds
// a file the repository lacks before it sends anything. Each problem is
// the error the plan would give (a ConfigError at the secret's file), in
// the order of age.secrets, then of the users and their secrets.
func (c *Config) CheckFiles(read func(string) ([]byte, error)) []error {
	var errs []error
	check := func(opt, file string) {
		if file == "" {
			return
		}
		ct, err := read(file)
		if err != nil {
			errs = append(errs, fileError(opt, err))
		} else if err := notAge(opt, ct); err != nil {
			errs = append(errs, err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Secrets)) {
		check(option(name, "file"), c.Secrets[name].File)
	}
	for _, user := range slices.Sorted(maps.Keys(c.Home)) {
		secrets := c.Home[user].Secrets
		for _, name := range slices.Sorted(maps.Keys(secrets)) {
			check(homeOption(user, "secrets", strconv.Quote(name), "file"), secrets[name].File)
		}
	}
	return errs
}

// notAge is the error of a secret's file (option opt) that is not an age
// file, nil for one: a plaintext never encrypted passed gocfg check, and
// a --root build without keys stored it in the generation (tester U).
// Telling needs no key.
func notAge(opt string, ct []byte) error {
	if err := agesecrets.CheckHeader(ct); err != nil {
		return &platform.ConfigError{Option: opt, Msg: err.Error(),
			Hint: "encrypt it with gocfg secrets encrypt FILE < PLAINTEXT, and remove the plaintext from the repository (from its history too, if it was committed)"}
	}
	return nil
}

// fileError is a secret's file (option opt) that could not be read.
func fileError(opt string, err error) error {
	return &platform.ConfigError{Option: opt, Msg: err.Error()}
}
