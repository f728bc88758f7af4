// Package modgen writes synthetic module trees for benchmarking module
// evaluation (load + merge + evaluate, the first two steps of the pipeline
// in DESIGN.md §1).
//
// The workload is the one /work/shared/benchmarks.md ("Module evaluation")
// measured Nix's lib.evalModules with, so gocfg's figures can be put next
// to Nix's: M modules, each of which
//
//   - declares two options of its own, bench.m<i>.enable (bool, default
//     false) and bench.m<i>.label (str, default "m<i>");
//   - appends three packages to environment.system_packages;
//   - defines one user, users."u<i>", with uid, description, shell and
//     groups (an attribute set of submodules);
//   - adds one group to a shared user, users."shared".groups = ["g<i>"];
//   - sets one nested string attribute,
//     macos.defaults."domain_<i%10>"."key_<i>" = "v<i>";
//   - enables the next module's option, bench.m<i+1>.enable = true (the
//     last module enables nothing).
//
// Module 0 sets networking.host_name with default("m0") and module M-1
// sets it plainly to "final", so the result proves priorities work.
//
// The entry module, default.hcl, imports the folder modules/ that holds
// every generated module. File names are zero-padded (m0007.hcl) so the
// folder's sorted order is module order, and list results such as the
// shared user's groups come out as g0, g1, ..., g<M-1>.
package modgen
