// Package platform will turn the merged configuration into resources
// with stable IDs (file:~alice/.zshrc, unit:system:nginx.service, ...),
// plan them against the live machine and apply them in dependency order
// (DESIGN.md §1 steps 3 to 5), with one sub-package per OS and per
// cross-OS resource kind.
//
// Not built yet: it arrives with `gocfg switch` and `gocfg plan` (the
// issue after the module system). Nothing imports it today.
package platform
