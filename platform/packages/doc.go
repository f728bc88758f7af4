// Package packages is the resource provider for
// `environment.system_packages` (DESIGN.md §3): the packages of the
// package manager `environment.package_manager` names (apt, dnf, pacman
// or brew; `auto` takes the first of apt-get, dnf and pacman found in the
// usual bin folders on Linux, and Homebrew on macOS), installed in one
// batch per switch.
//
// The live state is the manager's database (dpkg-query, rpm -q,
// pacman -Q); a package the configuration names that the manager does not
// know fails the plan with the manager's own message, before anything
// changes. The records keep the declared list and the packages gocfg
// installed: only those are removed when the configuration drops them
// (a package that was there before gocfg is never removed), and undoing
// an install removes only the packages it installed that are installed.
//
// With apt a removal is first simulated (apt_removal.go, `apt-get
// --simulate`, read-only): a package that an installed package needs is
// not removed (apt-get remove would remove that package too: a user's
// own); it is left installed, no longer managed, with a note. The
// dependencies apt installed with the removed packages and that nothing
// needs once they are gone go with them, shown in the plan ("with 2
// dependencies no longer needed: …"); one that apt-get autoremove would
// already have removed before is the owner's, and stays. The op asks
// apt again when it runs: a package installed since the plan that needs
// one of them stops it (nothing changed), and it removes only the
// dependencies the plan showed that are still freed. Undoing a removal
// installs the packages again, and apt brings their dependencies. dnf
// (clean_requirements_on_remove, its default) and pacman (-Rs) remove
// the dependencies nothing else needs themselves. Their removals are
// not simulated first: pacman refuses to remove a package another one
// requires (the switch fails, nothing removed), but dnf remove would
// remove that package too (not handled yet; neither runs on this
// project's test machines).
//
// Changes: "packages:install" (one op installing every missing package)
// and "packages:remove" (one op removing the ones gocfg installed and no
// longer wants). Resources that need a package (a unit whose program it
// installs) may depend on "packages:install".
//
// Installing needs root and the live machine: an unprivileged run, or
// one under --root, plans nothing and says so.
//
// # Homebrew
//
// On macOS the packages are Homebrew formulae, and `macos.homebrew.casks`
// and `macos.homebrew.taps` are managed the same way (brew.go,
// brew_plan.go, brew_ops.go). brew is <prefix>/bin/brew in the first of
// macos.HomebrewPrefixes that has it; without it a plan that wants
// something fails with how to install Homebrew. The live state is `brew
// list --formula -1`, `brew list --cask -1` and `brew tap`; a formula or
// cask brew does not list is asked about with `brew info --json=v2`,
// which fails the plan with brew's message for an unknown name and
// resolves an alias to the formula brew lists. "user/repo/name" compares
// by its last segment and declares its tap; it is not asked about before
// its tap is added.
//
// Homebrew refuses to run as root: when gocfg runs as root, brew runs as
// `macos.homebrew.user` (else `macos.primary_user`) through `sudo -u
// <user> -H -- /usr/bin/env HOMEBREW_NO_AUTO_UPDATE=1 ... brew`; as a
// user, through env directly. env(1) sets Homebrew's variables inside
// sudo, which resets the environment whatever the sudoers policy keeps.
//
// Changes: "packages:taps-add" first, then "packages:install" (formulae)
// and "packages:casks-install"; "packages:remove" and
// "packages:casks-remove" before "packages:taps-remove". Their ops
// (packages.brew-install, packages.brew-remove) carry the brew program and
// the user, and undo from the live state. The records add, beside the
// formulae, "casks" and "taps" ({names, installed}) and "brew_user".
package packages
