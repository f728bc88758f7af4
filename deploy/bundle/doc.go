// Package bundle is what `gocfg deploy` sends a host so that it can
// switch to a configuration evaluated on the deploying machine, with no
// repository and no evaluation there: the evaluated configuration, the
// options typed as plists, where it came from (meta), and the source
// files the configuration reads (home.<user>.files and environment.etc
// sources), under the paths they have on the deploying machine.
//
// On the wire a bundle is a tar stream:
//
//	gocfg-bundle            "1\n": the format version
//	meta.json               Meta
//	config.json             gocfg eval --json of the host
//	plists.xml              an XML plist dict: option path → value (macOS hosts)
//	src/<path>              each source file at its absolute path, without the leading /
//
// Extract writes it into an empty folder and refuses anything else:
// names with "..", absolute names, links that would be followed while
// extracting, devices, and more than MaxSize bytes. A host reads the
// source files through system.NewRooted(<dir>/src, …), so the files
// provider finds them at the paths the configuration names.
package bundle
