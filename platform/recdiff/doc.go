// Package recdiff compares what two generations recorded, provider by
// provider, for `gocfg generations diff` (DESIGN.md §4-§5). It sits
// beside the plan: a plan compares the configuration with the live
// machine, recdiff compares two generations' resources.json and reads
// nothing of the machine.
//
// Each provider package registers a Differ under its provider name (the
// key of its records in resources.json) from an init function, so the
// command holds no list of providers: Diff runs the Differ of every
// provider either generation recorded, and a provider no Differ is
// registered for becomes a warning when its records differ, never a
// silent "no differences".
//
// A Differ returns typed Changes: a resource ID, the action (+ what b
// records and a does not, - the reverse, ~ both differently) and the
// Fields that differ, each a name with its value before → after
// (`~ user:alice  shell: /bin/bash → /bin/zsh`). Values are made for
// people and are never decisions: nothing is planned or applied from
// them.
//
// Records hold hashes of contents, not contents, and recdiff keeps it so:
// a provider whose records point into the generation's files tree (unit
// files, launchd plists) may read the stored file to name the keys that
// changed, only when it still has the recorded hash. Values that look
// secret (see LooksSecret: a field named like a password, token or key,
// an assignment or flag of one, a private key, a known token format,
// credentials in a URL) are shown as "(sensitive)" in both views.
//
// View prints Changes in the plan's format (`+ ~ -`, IDs aligned, the
// first field on the ID's line and the others under it, the summary
// line); JSON is the --json view of the same data.
package recdiff
