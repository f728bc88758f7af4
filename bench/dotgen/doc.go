// Package dotgen writes a synthetic dotfiles configuration for
// benchmarking `gocfg switch` on the dotfile workload of
// /work/shared/benchmarks.md ("Peers on the dotfile workload"), the one
// GNU stow and chezmoi were measured with.
//
// The folder Write creates holds
//
//   - default.hcl, the entry module: user "bench" (home /home/bench)
//     links every file of ./dotfiles under ~/.config, one link per file
//     (files ".config" with source = "./dotfiles" and recursive = true);
//   - dotfiles/app_<i/100>/sub_<(i/10)%10>/file_<i%10> for i in [0, N),
//     each a few dozen bytes of text that no other file has (Content).
//
// So N = 10,000 gives 100 app folders of 10 sub folders of 10 files, and
// `gocfg switch --root R` links R/home/bench/.config/<Rel(i)> for every i.
// Nothing here depends on gocfg's packages: the same folder can be given
// to other tools.
package dotgen
