package main

import (
	"fmt"

	"github.com/gocfg/gocfg/modules"
)

// A definitionAt says where an option is defined, as the lines that
// follow a conflict's path: "--> file:line:column", then what explains
// a definition that is not simply the user's own (a built-in module's,
// made because of an option the user set); nil when it is not found.
type definitionAt func(option string) []string

// definitionsIn is the definitionAt of the evaluation locate finds (nil
// when locate is nil: a rollback reads no configuration).
func definitionsIn(env *Env, locate func() *modules.Evaluation) definitionAt {
	if locate == nil {
		return nil
	}
	return func(option string) []string {
		ev := locate()
		if ev == nil {
			return nil
		}
		subject, detail := optionSubject(ev, env.WorkDir, option)
		if subject == nil {
			return nil
		}
		ref := fmt.Sprintf("--> %s:%d:%d", relPath(env.WorkDir, subject.Filename), subject.Start.Line, subject.Start.Column)
		return append([]string{ref}, detail...)
	}
}
