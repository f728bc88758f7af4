// Package bundle is what `gocfg deploy` sends a host so that it can
// switch to a configuration evaluated on the deploying machine, with no
// repository and no evaluation there: the evaluated configuration, the
// options typed as plists, where it came from (meta), and the source
// files the configuration reads (home.<user>.files and environment.etc
// sources), under the paths they have on the deploying machine.
//
// On the wire a bundle is a tar stream:
//
//	gocfg-bundle            "2\n": the format version
//	meta.json               Meta
//	config.json             gocfg eval --json of the host
//	plists.xml              an XML plist dict: option path → value (macOS hosts)
//	manifest.json           Manifest: every source path: files (mode, size, SHA-256), folders, links
//	src/<path>              the files of the manifest the host lacks, at their absolute path without the leading /
//
// A second deploy of the same sources sends no file: the deploying side
// asks the host which files of the manifest its previous bundle lacks
// (Manifest.Missing, run there by deploy-agent --missing) and sends only
// those (Bundle.Send); ExtractReusing copies the others from that
// previous bundle, each checked against the manifest's SHA-256.
//
// Extract writes it into an empty folder and refuses anything else:
// names with "..", absolute names, entries below a link of the manifest,
// folders, links or devices in the stream (folders and links come from
// the manifest), files the manifest does not list or with another size
// or SHA-256, and more than MaxSize bytes. A host reads the
// source files through system.NewRooted(<dir>/src, …), so the files
// provider finds them at the paths the configuration names.
package bundle
