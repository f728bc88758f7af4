// Package slab hands out values carved from shared arrays: one
// allocation for many small values that live as long as one another
// (the definitions, keys and nodes of one evaluation), instead of one
// allocation each. A value stays reachable while any value of its array
// is, so a slab is for values that are kept together, not for values
// dropped one by one.
package slab
