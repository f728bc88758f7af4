// Package packages is the resource provider for
// `environment.system_packages` (DESIGN.md §3): the packages of the
// package manager `environment.package_manager` names (apt, dnf or
// pacman; `auto` takes the first of apt-get, dnf and pacman found in the
// usual bin folders), installed in one batch per switch.
//
// The live state is the manager's database (dpkg-query, rpm -q,
// pacman -Q); a package the configuration names that the manager does not
// know fails the plan with the manager's own message, before anything
// changes. The records keep the declared list and the packages gocfg
// installed: only those are removed when the configuration drops them
// (a package that was there before gocfg is never removed), and undoing
// an install removes only the packages it installed that are installed.
//
// Changes: "packages:install" (one op installing every missing package)
// and "packages:remove" (one op removing the ones gocfg installed and no
// longer wants). Resources that need a package (a unit whose program it
// installs) may depend on "packages:install".
//
// Installing needs root and the live machine: an unprivileged run, or
// one under --root, plans nothing and says so. Homebrew (macOS) is not
// built yet.
package packages
