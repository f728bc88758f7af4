// Package systemsetup is the provider of three machine-wide macOS
// settings that options shared with Linux turn on:
//
//   - time.time_zone: `systemsetup -settimezone <zone>`, the zone checked
//     against `systemsetup -listtimezones` when the plan is made (an
//     unknown zone fails the plan, naming the closest ones);
//   - services.openssh.enable: Remote Login (`systemsetup -f
//     -setremotelogin on`; macOS asks that the program running systemsetup
//     has Full Disk Access);
//   - networking.firewall.enable: the application firewall
//     (`socketfilterfw --setglobalstate on`).
//
// Each setting is read back after it is set (systemsetup exits 0 when it
// refuses a value). The value the Mac had before gocfg first managed a
// setting is recorded; when the option goes (a zone unset, an enable
// turned off: false means "leave it alone", never "turn it off") and on
// rollback, that value is put back, unless the setting was changed by
// hand since gocfg set it, which is then left alone with a warning. A
// firewall in "block all incoming connections" mode (state 2) reads as
// on. The settings need root; an unprivileged run, and --root, skip them
// with a note. Other settings of systemsetup and socketfilterfw are never
// touched.
package systemsetup
