package passwordfiles

import (
	"context"
	"fmt"

	"github.com/gocfg/gocfg/platform/system"
	"github.com/gocfg/gocfg/platform/users"
)

// SetOp sets the password of Name to the hash the file at Path holds
// when it runs, with chpasswd --encrypted (under Root, "" live). Prev is
// the account's hash when the plan was made, put back by Undo.
type SetOp struct {
	Root string `json:"root,omitempty"`
	Name string `json:"name"`
	Path string `json:"path"`
	Prev string `json:"prev,omitempty"`
}

// Describe says what the op does.
func (o *SetOp) Describe() string {
	return "set the password of " + o.Name + " from " + o.Path
}

// Apply reads the file and sets its hash when the account's differs. A
// file that is gone or refused fails the switch: the configuration asks
// for a password that cannot be set.
func (o *SetOp) Apply(ctx context.Context, sys system.System) error {
	hash, err := readHash(sys, o.Path)
	if err != nil {
		return fmt.Errorf("%w (%s)", err, option(o.Name))
	}
	if users.ShadowPassword(sys, o.Name) == hash {
		return nil
	}
	return users.SetPassword(ctx, sys, o.Root, o.Name, hash)
}

// Undo puts back the hash the account had when the plan was made, if the
// account still has the file's (a hash changed since, with passwd, is
// left); an empty one was never set or not read: locked ("!"), never an
// account without a password.
func (o *SetOp) Undo(ctx context.Context, sys system.System) error {
	cur := users.ShadowPassword(sys, o.Name)
	hash, err := readHash(sys, o.Path)
	if err != nil || cur != hash || cur == o.Prev {
		return nil
	}
	was := o.Prev
	if was == "" {
		was = "!"
	}
	return users.SetPassword(ctx, sys, o.Root, o.Name, was)
}
