package platform

import "github.com/gocfg/gocfg/platform/machine"

// Base is what most providers plan from: the machine, and the desired
// state from one of Config (the configuration: plan, switch) or Records
// (a generation: rollback, status); the other is nil. A provider declares
// its type on it,
//
//	type Provider platform.Base[Config, Records]
//
// which gives it the three fields (composite literals and p.Config work as
// on any struct) and lets New build it. A provider that needs more fields
// declares its own struct.
type Base[C, R any] = struct {
	Machine *machine.Machine
	Config  *C
	Records *R
}

// New is the Kind.New of a provider type P declared on Base: it builds a
// *P from the machine and one of c or r. Use it as
// `New: platform.New[Provider]`; the compiler checks that *P is a
// Provider.
func New[P ~Base[C, R], C, R any, PP interface {
	*P
	Provider
}](m *machine.Machine, c *C, r *R) Provider {
	return PP(&P{Machine: m, Config: c, Records: r})
}
