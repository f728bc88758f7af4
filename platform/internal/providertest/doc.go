// Package providertest is what the provider packages' tests share: a
// Switcher that plans providers and applies the plans with the engine into
// a real generations store, as gocfg switch and rollback do, and a Rig
// that switches and rolls back one provider with it; a machine whose user
// edits a file just before gocfg moves it (EditingSys); the records a
// provider keeps, read from a part, a plan or a generation, or encoded;
// changes shown as lines to compare; and configurations evaluated from
// HCL for the providers' ConfigFromJSON.
//
// It is for tests only: no production package imports it.
package providertest
