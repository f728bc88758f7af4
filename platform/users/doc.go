// Package users is the resource provider for `users.<name>` and
// `groups.<name>` (DESIGN.md §3): `user:<name>` and `group:<name>`
// resources. On Linux they are created and changed with the shadow tools
// (useradd, usermod, userdel, groupadd, groupmod, groupdel, gpasswd) run
// through the system.System seam, the live state read from the passwd and
// group databases (platform/accounts); on macOS with sysadminctl, dscl and
// dseditgroup, the live state read from the local directory (darwin.go,
// dscl.go, darwin_ops.go).
//
// Place in the pipeline: a platform provider (DESIGN.md §1); its records
// (records.go) are what a rollback returns to. The planner takes the same
// decisions on every OS and the account backend (backend.go) turns them
// into ops:
//   - provider.go: Plan, and the desired state (configuration or records);
//   - planner.go: one plan's working state, its drafts and finish;
//   - validate.go, ids.go: the declarations checked, new IDs picked;
//   - plan_users.go, plan_groups.go, membership.go: the decisions, as
//     OS-neutral steps (backend.go);
//   - shadow.go + ops.go: the Linux backend and its ops (the shadow tools);
//   - darwin.go + darwin_ops.go + dscl.go: the macOS backend and its ops.
//
// Decisions taken where the design is silent:
//   - Unset fields are left alone on an existing user; the home folder
//     of an existing user is never moved (a plan-time error with a hint).
//     On a user gocfg adopted (did not create), the description and the
//     shell gocfg set are put back as they were before gocfg first set
//     them once gocfg stops setting them (the option unset, the user no
//     longer declared), unless changed by hand since (original.go), as
//     files and /etc files put back what they replaced. A user gocfg
//     created keeps them: gocfg deletes it when it is no longer declared.
//   - gocfg picks the uid of a new user (and the gid of its own group and
//     of a new group) when the configuration does not, the way useradd
//     would (the highest ID in use in the UID_MIN..UID_MAX range of
//     login.defs, plus one), so that the records say which account gocfg
//     made and a rollback makes the same one. When a rollback creates an
//     account again and its recorded ID was taken since, it gets another
//     one, and the part says so (platform.Part.Rerecorded, with a note):
//     the rollback then records a new generation with that ID instead of
//     making the old one current with an ID that no longer holds (in
//     which the account would look changed by hand, never to be deleted).
//     NixOS keeps the IDs it gave in /var/lib/nixos/uid-map, outside its
//     generations; here the generations are the one record.
//   - A new user's home folder that exists is kept as it is, as useradd
//     keeps it; when it belongs to another uid (a home kept when its user
//     was deleted, that uid given to another account since) the plan
//     warns, naming the owner, who can change what the user runs at
//     login. gocfg does not chown a folder it did not make.
//   - Every new user gets a group of its own name (Debian's, Fedora's and
//     Arch's default) unless a group of that name exists or is declared,
//     which then becomes its primary group.
//   - Supplementary memberships (`users.<name>.groups` and
//     `groups.<name>.members`, the same relation seen from both sides) are
//     added with gpasswd -a and removed with gpasswd -d only when gocfg
//     added them (recorded); memberships made by hand are never removed.
//   - A user or group is deleted only when gocfg created it (recorded),
//     it still has the ID gocfg gave it, and it is not root or a system
//     account (an ID below UID_MIN / GID_MIN). The home folder of a
//     deleted user is kept. Undoing a deletion makes the account again
//     with the same IDs, but locked: its password is not kept.
//   - An account in use is not deleted (userdel refuses it): the plan
//     refuses to delete one whose owner is logged in, as logind says
//     (loginctl show-user: a session, closing ones too), naming the
//     option, before anything runs; a process of hers outside any session
//     makes the switch fail at userdel, undone, with a hint that says how
//     to end it. Her units and her lingering end first in the switch
//     (Change.AfterDependents), and her idle user manager is stopped
//     before userdel (manager_gone.go).
//   - A new user's home (create_home, the default) is made by useradd
//     --create-home with mode 0700, which copies the skeleton (/etc/skel)
//     into it when the op runs; the files provider plans the user's
//     files in that home against the skeleton (its copies of managed
//     files are replaced: platform/files/newhome.go). Undoing the
//     creation deletes the account with userdel --remove (the home, the
//     mail spool and the subordinate IDs go with it), then the group
//     made with it; a home that holds more than useradd copied there
//     (home_as_made.go) is kept, owned by her uid, which gocfg then gives
//     no other account, and the undo says so. A home made between the
//     plan and useradd stops the switch.
//   - Under --root the shadow tools run with `--root <root>` (they chroot
//     there, so this needs root too); a tool without that option is
//     reported in a note and users are skipped.
//
// On macOS the same rules hold, with these differences:
//   - The live state is `dscl . -readall /Users` and `/Groups`
//     (ReadDarwinAccounts, also the account database of a live Mac for
//     the other providers). A new user is made with `sysadminctl -addUser
//     <name> [-fullName] -UID [-shell] -home [-admin]`, which exits 0 when
//     it fails: `id -u <name>` afterwards says whether it worked, and the
//     error quotes what sysadminctl printed (an account it made with
//     another uid is deleted again). Then `dscl . -create /Users/<name>
//     IsHidden 1` (is_hidden), `dseditgroup -o edit -a` for each group
//     but admin (which is -admin) and `createhomedir -c -u` (create_home;
//     sysadminctl does not make a home given with -home). gocfg sets no
//     password: set one with `sudo sysadminctl -resetPasswordFor <name>
//     -newPassword -`. Every new user's primary group is staff (gid 20),
//     as sysadminctl makes it; there are no per-user groups. The home
//     defaults to /Users/<name>.
//   - RealName and UserShell change with `dscl . -create`; is_hidden true
//     hides a user, and turning it off shows again only a user gocfg hid.
//     The uid of an existing user is not changed (a plan-time error), nor
//     the gid of a group to or from 501 or below.
//   - Groups: `dscl . -create /Groups/<name> PrimaryGroupID <gid>` and
//     RealName; members with `dseditgroup -o edit -a|-d <user> -t user`;
//     deleted with `dscl . -delete /Groups/<name>`.
//   - IDs up to 501 are macOS's (its own accounts below 500, the first
//     user 501): a new user or group with one is a plan-time error, and
//     gocfg picks the first free ID from 502 up when none is given (the
//     recorded one on a rollback). gocfg never deletes an account with a
//     uid of 501 or below, root, a name starting with _, or the primary
//     user (Provider.PrimaryUser, macos.primary_user), nor a group with a
//     gid of 501 or below or a name starting with _, even when it made
//     them. Names are lowercase letters, digits, _, - and .; new users and
//     groups may not start with _ (macOS's system accounts).
//   - A deleted user goes with `sysadminctl -deleteUser <name> -keepHome`
//     (verified with id), after leaving its groups. Undoing that makes it
//     again with its uid, home, shell, RealName, primary group, groups and
//     IsHidden, with logins disabled (AuthenticationAuthority
//     ;DisabledUser;), since its password is not kept: enable it with
//     `sudo pwpolicy -u <name> -enableuser` and set a password.
//   - Under --root (an offline macOS tree) nothing is made: writing
//     /var/db/dslocal records is not built; the plan says so.
package users
