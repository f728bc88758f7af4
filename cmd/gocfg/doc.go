// Command gocfg makes a machine match a description kept in a dotfiles
// repository of HCL modules (see DESIGN.md).
//
// One file per command. Each command has an options struct filled from
// flags and a runX(ctx, opts) function that does the work; everything a
// command touches outside itself (output streams, environment, working
// folder, host name, the invoking user) comes in through an Env, so tests
// drive commands without globals.
package main
