// Package keyboard applies `macos.keyboard.user_key_mapping`: the key
// remappings of the HID event system, set with `hidutil property --set
// '{"UserKeyMapping":[{"HIDKeyboardModifierMappingSrc":…,"HIDKeyboardModifierMappingDst":…}]}'`.
//
// Place in the pipeline: a platform.Provider with one resource,
// `keyboard:user_key_mapping`. The live mapping is read with `hidutil
// property --get UserKeyMapping` (an OpenStep property list, or "(null)"
// when nothing set it since the Mac started), decoded with
// howett.net/plist.
//
// The records keep the mapping gocfg set and the one that was live
// before gocfg first managed it. Emptying the option, or rolling back to
// a generation without a mapping, puts that one back, which is usually
// none: `{"UserKeyMapping":[]}` clears the remaps, as nix-darwin users
// ask for (nix-darwin #905). A mapping changed since gocfg set it is
// left alone, with a warning.
//
// A mapping set with hidutil is lost at restart; the built-in module
// keyboard.hcl also declares the LaunchAgent org.gocfg.keyboard
// (macos.launchd.agents), which sets it again at every login and goes
// away with the mapping. hidutil needs no root, so a user's own run
// manages the mapping too. Under `--root DIR --os darwin` nothing runs:
// the agent sets the mapping at the first login.
package keyboard
