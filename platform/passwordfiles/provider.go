package passwordfiles

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules/optpath"
	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/users"
)

// ID is the resource ID of a user's password from a file.
func ID(user string) string { return "password:" + user }

// A Provider plans the passwords read from files. Desired comes from the
// configuration (Config) or from a generation's records (Records:
// rollback, status).
type Provider platform.Base[Config, Records]

// Name keys the records in resources.json.
func (*Provider) Name() string { return name }

// option is users.<user>.hashed_password_file.
func option(user string) string {
	return optpath.Path{"users", user, "hashed_password_file"}.String()
}

// Plan plans without the facts of other providers (tests).
func (p *Provider) Plan(ctx context.Context, applied json.RawMessage) (*platform.Part, error) {
	return p.PlanWith(ctx, applied, platform.Facts{})
}

// PlanWith compares each file's hash with the account's, reading the
// file now unless the plan writes it anew (facts.Written).
func (p *Provider) PlanWith(_ context.Context, appliedData json.RawMessage, facts platform.Facts) (*platform.Part, error) {
	applied, err := DecodeRecords(appliedData)
	if err != nil {
		return nil, err
	}
	var want map[string]string
	switch {
	case p.Records != nil:
		want = p.Records.Files
	case p.Config != nil:
		want = p.Config.Files
	}
	part := &platform.Part{Records: &Records{Files: want}}
	l := p.Machine
	names := slices.Sorted(maps.Keys(want))
	switch {
	case len(want) == 0:
		return part, nil
	case l.OS == "darwin":
		for _, u := range names {
			part.Warnings = append(part.Warnings, fmt.Sprintf("%s: Linux only; on macOS gocfg sets no password (use sysadminctl -resetPasswordFor %s)", option(u), u))
		}
		return part, nil
	case !l.Privileged && !l.Offline:
		part.Records = applied
		part.Notes = append(part.Notes, "users.<name>.hashed_password_file: setting a password needs root; skipped")
		return part, nil
	}
	db := facts.On(l).Accounts
	var errs []error
	for _, u := range names {
		if err := p.planUser(part, u, want[u], db, facts.Written); err != nil {
			errs = append(errs, err)
		}
	}
	return part, errors.Join(errs...)
}

// planUser plans user's password from the file at path.
func (p *Provider) planUser(part *platform.Part, user, path string, db *accounts.Database, written map[string]platform.Written) error {
	l := p.Machine
	if !filepath.IsAbs(path) {
		return &platform.ConfigError{Option: option(user), Msg: fmt.Sprintf("%q is not an absolute path", path),
			Hint: "write the file's whole path, such as config.age.secrets.<name>.path"}
	}
	ok := false
	if db != nil {
		_, ok = db.User(user)
	}
	switch {
	case !ok:
		return &platform.ConfigError{Option: option(user), Msg: "there is no account " + user, Hint: "declare users." + user + " to create it"}
	case !db.HasShadow():
		// chpasswd would write the hash into /etc/passwd, which
		// everyone reads (reviewer).
		return &platform.ConfigError{Option: option(user), Hint: "create /etc/shadow (pwconv), or leave the option unset",
			Msg: "this machine has no /etc/shadow: gocfg does not write a password hash into /etc/passwd, which every account reads"}
	}
	root := ""
	if l.Offline {
		root = l.Root
	}
	cur := users.ShadowPassword(l.Sys, user)
	ch := platform.Change{ID: ID(user), Kind: "user", Action: platform.Update, Deps: []string{users.UserID(user)},
		Ops: []platform.Op{&SetOp{Root: root, Name: user, Path: path, Prev: cur}}}
	if w, ok := written[filepath.Clean(path)]; ok {
		return planWritten(part, ch, user, path, w)
	}
	hash, err := readHash(l.Sys, path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		part.Warnings = append(part.Warnings, fmt.Sprintf("%s: %s does not exist; the password of %s is left as it is", option(user), path, user))
		return nil
	case err != nil:
		return &platform.ConfigError{Option: option(user), Msg: err.Error(), Hint: hintOf(err)}
	case hash == cur:
		return nil
	}
	ch.Before, ch.After = "password (another)", "password (hashed_password_file)"
	part.Changes = append(part.Changes, ch)
	return nil
}

// planWritten plans ch, user's password from the file at path that this
// plan writes anew (w: a secret decrypted by the switch), to be read once
// it is in place; the file's owner and mode are checked now, from what
// the plan writes. A file the plan removes leaves the password, as a
// missing one does.
func planWritten(part *platform.Part, ch platform.Change, user, path string, w platform.Written) error {
	switch {
	case w.Gone:
		part.Warnings = append(part.Warnings, fmt.Sprintf("%s: this switch removes %s; the password of %s is left as it is", option(user), path, user))
		return nil
	case w.Owner != "root" && w.Owner != "0":
		return &platform.ConfigError{Option: option(user), Hint: rootOnlyHint,
			Msg: fmt.Sprintf("%s: the secret is owned by %s, not root: its owner could choose the password", path, w.Owner)}
	case w.Mode.Perm()&0o022 != 0:
		return &platform.ConfigError{Option: option(user), Hint: rootOnlyHint,
			Msg: fmt.Sprintf("%s: the secret may be written by others (mode %04o): they could choose the password", path, w.Mode.Perm())}
	}
	ch.Before, ch.After = "password", "password (from "+path+", read when applied)"
	ch.Deps = append(ch.Deps, w.After)
	part.Changes = append(part.Changes, ch)
	return nil
}
