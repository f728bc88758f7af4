// Package buildinfo says which gocfg this is: the version of the module
// or the commit it was built from, the Go version and the platform. It is
// read once from the binary's build information (runtime/debug), or set
// by the release build (scripts/release.sh) with
//
//	-ldflags "-X github.com/gocfg/gocfg/internal/buildinfo.version=v1.2.3"
//
// Place in the pipeline: outside it. `gocfg version`, `gocfg --version`
// and `gocfg doctor` print it, and every generation's meta.json records
// [Version] (generations.Meta.Version), so a generation says which gocfg
// made it.
package buildinfo
