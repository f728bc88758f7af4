// Package users is the resource provider for `users.<name>` and
// `groups.<name>` on Linux (DESIGN.md §3): `user:<name>` and
// `group:<name>` resources, created and changed with the shadow tools
// (useradd, usermod, userdel, groupadd, groupmod, groupdel, gpasswd) run
// through the system.System seam, the live state read from the passwd and
// group databases (platform/accounts).
//
// Decisions taken where the design is silent:
//   - Unset fields are left alone on an existing user (a shell gocfg set
//     and the configuration no longer sets stays); the home folder of an
//     existing user is never moved (a plan-time error with a hint).
//   - gocfg picks the uid of a new user (and the gid of its own group and
//     of a new group) when the configuration does not, the way useradd
//     would (the highest ID in use in the UID_MIN..UID_MAX range of
//     login.defs, plus one), so that the records say which account gocfg
//     made and a rollback makes the same one. Every new user gets a group
//     of its own name (Debian's, Fedora's and Arch's default) unless a
//     group of that name exists or is declared, which then becomes its
//     primary group.
//   - Supplementary memberships (`users.<name>.groups` and
//     `groups.<name>.members`, the same relation seen from both sides) are
//     added with gpasswd -a and removed with gpasswd -d only when gocfg
//     added them (recorded); memberships made by hand are never removed.
//   - A user or group is deleted only when gocfg created it (recorded),
//     it still has the ID gocfg gave it, and it is not root or a system
//     account (an ID below UID_MIN / GID_MIN). The home folder of a
//     deleted user is kept. Undoing a deletion makes the account again
//     with the same IDs, but locked: its password is not kept.
//   - Under --root the shadow tools run with `--root <root>` (they chroot
//     there, so this needs root too); a tool without that option is
//     reported in a note and users are skipped.
//   - On macOS (dscl, sysadminctl) nothing is built yet; the plan says so.
package users
