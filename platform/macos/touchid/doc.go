// Package touchid checks what `macos.touch_id_sudo` relies on. The file
// itself, /etc/pam.d/sudo_local, is an `environment.etc` entry that the
// builtin module macos/touch_id.hcl declares (a real root-owned copy, so
// sudo keeps working whatever happens to gocfg's state folder); this
// package only warns, at plan time, when that file would have no effect:
//
//   - /etc/pam.d/sudo lacks `auth include sudo_local`: macOS before 14
//     (Sonoma) reads no sudo_local, and gocfg does not edit Apple's
//     /etc/pam.d/sudo, which system updates overwrite;
//   - `macos.touch_id_sudo_reattach` is on but pam_reattach.so is neither
//     at `macos.touch_id_sudo_reattach_path` (Homebrew's prefix for this
//     machine's architecture by default) nor among the packages this
//     switch installs.
//
// Place in the pipeline: a platform.Provider without resources.
package touchid
