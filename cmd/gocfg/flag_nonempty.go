package main

import (
	"errors"

	"github.com/spf13/pflag"
)

// A nonEmptyFlag is a string flag that refuses an empty value, for the
// flags whose empty value would silently mean what leaving them out
// means: an empty --root is this machine itself, so `gocfg switch
// --root "$ROOT"` with ROOT unset would change the live machine while
// the user meant a folder; an empty --config or --host would choose the
// default configuration or host. (systemctl --root= and chezmoi
// --destination= take the empty value as given too; gocfg refuses it,
// because here it is the dangerous one.)
type nonEmptyFlag struct {
	p *string
	// without says what leaving the flag out does, for the error.
	without string
}

// nonEmptyVar defines the flag name (shorthand may be "") on fs, storing
// into p; without says what leaving the flag out does.
func nonEmptyVar(fs *pflag.FlagSet, p *string, name, shorthand, usage, without string) {
	fs.VarP(&nonEmptyFlag{p: p, without: without}, name, shorthand, usage)
}

func (f *nonEmptyFlag) Set(s string) error {
	if s == "" {
		return errors.New("empty: leave the flag out " + f.without)
	}
	*f.p = s
	return nil
}

func (f *nonEmptyFlag) String() string {
	if f.p == nil {
		return ""
	}
	return *f.p
}

// Type is "string", so that pflag's GetString reads the flag and help
// prints it as a string flag.
func (f *nonEmptyFlag) Type() string { return "string" }
