package platform

// A ConfigError is a configuration value a provider cannot apply: it
// names the option, says what is wrong and, when it can, what to do.
type ConfigError struct {
	// Option is the option path, e.g. users.alice.shell.
	Option string
	Msg    string
	// Hint is printed as a gocfg: hint: line ("" for none).
	Hint string
}

func (e *ConfigError) Error() string { return e.Option + ": " + e.Msg }
