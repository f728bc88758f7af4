package platform

import "errors"

// A ConfigError is a configuration value a provider cannot apply: it
// names the option, says what is wrong and, when it can, what to do.
//
// The command shows it where the value is written: Option is looked up
// in the evaluated configuration (modules.Evaluation.Origin) and the
// error printed as a configuration diagnostic, its Error() as the
// summary, at the most specific definition (`--> file:line:column` and
// the source line), then its hint. A leaf option is shown at its value,
// an attribute-set key (environment.etc."../evil") at the block label or
// object key that names it; a value nothing defines, at the option's
// default in its declaration, or at the nearest defined parent. A
// provider that finds several problems returns them all with
// errors.Join: each is shown at its own definition with its own hint.
// Wrapping one (fmt.Errorf with %w) keeps its location and hint.
type ConfigError struct {
	// Option is the option path as optpath prints it: keys that are not
	// identifiers quoted (users.alice.shell, environment.etc."../evil",
	// home.alice.files.".zshrc"), with [N] for a list element. It names
	// the most specific value at fault: users.alice.shell rather than
	// users.alice, so that the error points at the shell.
	Option string
	Msg    string
	// Hint is printed as a gocfg: hint: line ("" for none).
	Hint string
	// Secret: the value may be a secret (a password written where its
	// hash goes): the error points at its line without showing it.
	Secret bool
}

func (e *ConfigError) Error() string { return e.Option + ": " + e.Msg }

// JoinErrors is errors.Join of errs, except that a single error is
// returned as it is, so that a caller's type assertion or == still sees
// it; nil when errs is empty. A provider that checks every value before
// it returns (so that the user sees every error at once) ends with it.
func JoinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
