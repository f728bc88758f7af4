// Package builtin holds gocfg's built-in option modules: HCL files,
// embedded in the binary, that declare every option of DESIGN.md §3 and
// map the typed convenience options (macos.dock.*, macos.touch_id_sudo,
// macos.keyboard.*, ...) onto the primitive options the appliers read
// (macos.defaults, environment.etc, macos.keyboard.user_key_mapping), the
// way nix-darwin maps system.defaults.dock.autohide onto `defaults write`.
//
// Place in the pipeline: the loader (modules/loader) reads these modules
// before the user's entry module, so they come first in module order.
package builtin
