package providertest

import (
	"errors"

	"github.com/gocfg/gocfg/platform"
)

// ConfigErrors lists the errors joined in err (platform.JoinErrors,
// errors.Join, at any depth), in order, each as the *platform.ConfigError
// it is or wraps; an error that is none is one without Option whose Msg
// says so, so that a test comparing them shows it.
func ConfigErrors(err error) []*platform.ConfigError {
	var out []*platform.ConfigError
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
			ce = &platform.ConfigError{Msg: "not a ConfigError: " + err.Error()}
		}
		out = append(out, ce)
	}
	if err != nil {
		walk(err)
	}
	return out
}
