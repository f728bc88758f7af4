// Package machine is the one description of the machine a plan is made
// for, passed to every provider: how to reach it (the System stack the
// command chose), whether it is live or a tree under --root, its OS, who
// runs gocfg, the account database, the state folder's generations and
// the switch options that apply to every provider.
//
// A provider reads these facts; it never builds them. cmd/gocfg builds one
// Machine per command (openMachine) and hands it to the provider
// registry (platform.Providers), which builds every provider from it.
//
// What one provider plans that another needs (the accounts a plan
// creates) is not here: it travels through the plan as platform.Facts.
package machine
