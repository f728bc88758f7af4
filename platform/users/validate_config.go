package users

import (
	"context"
	"errors"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/system"
)

// validateConfig checks users.* and groups.* without the machine
// (Factory.Validate, for gocfg check): the names of users, groups,
// members and a user's groups by the rules of os's account system, IDs
// in range and each declared once, absolute homes and shells, and
// descriptions the account database can hold. The plan checks each of
// them again, with what depends on the machine: IDs and homes of
// existing accounts, /etc/shells, groups and members that are not
// declared.
func validateConfig(_ context.Context, _ system.System, os string, cfg *platform.Config) error {
	c, err := ConfigFromJSON(cfg.JSON)
	if err != nil {
		return err
	}
	var b backend = &shadowBackend{}
	if os == "darwin" {
		b = &darwinBackend{}
	}
	var ps problems
	uidOf := map[int]string{}
	for _, name := range sortedKeys(c.Users) {
		if !checkName(b, &ps, userOption(name), name, userNameHint) {
			continue
		}
		u := c.Users[name]
		if u.UID != nil && idInRange(&ps, userOption(name, "uid"), *u.UID, "user") {
			declaredOnce(&ps, userOption(name, "uid"), *u.UID, name, uidOf, "user")
			uidOf[*u.UID] = name
		}
		if u.Home != nil {
			absolute(&ps, userOption(name, "home"), "write it like "+b.defaultHome(name), *u.Home)
		}
		if u.Shell != nil {
			absolute(&ps, userOption(name, "shell"), shellHint, *u.Shell)
		}
		if u.Description != nil {
			if why := b.badDescription(*u.Description); why != "" {
				ps.add(userOption(name, "description"), "", "%q: %s", *u.Description, why)
			}
		}
		for _, g := range u.Groups {
			checkName(b, &ps, userOption(name, "groups"), g, "")
		}
		checkPasswords(&ps, name, u)
	}
	gidOf := map[int]string{}
	for _, name := range sortedKeys(c.Groups) {
		if !checkName(b, &ps, groupOption(name), name, groupNameHint) {
			continue
		}
		g := c.Groups[name]
		if g.GID != nil && idInRange(&ps, groupOption(name, "gid"), *g.GID, "group") {
			declaredOnce(&ps, groupOption(name, "gid"), *g.GID, name, gidOf, "group")
			gidOf[*g.GID] = name
		}
		for _, m := range g.Members {
			checkName(b, &ps, groupOption(name, "members"), m, "")
		}
	}
	return errors.Join(ps...)
}
