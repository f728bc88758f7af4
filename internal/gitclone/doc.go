// Package gitclone fetches and updates the dotfiles repository itself:
// `gocfg init SOURCE` clones it into the configuration folder, `gocfg
// update` pulls it, and `gocfg init` (no source) makes a new one with a
// first commit.
//
// Place in the pipeline: before it. The repository is the input that
// `modules` loads, so it is not a side effect on the managed machine and
// does not go through the System seam (as internal/gitinfo, which reads
// the commit a generation records): `--root` never relocates it.
//
// A [Client] runs the git program when one is installed, so the user's
// credentials helpers, SSH configuration and URL rewrites apply; without
// it (a Mac without the command line tools) it uses go-git, a git
// written in Go, for the same few operations.
package gitclone
