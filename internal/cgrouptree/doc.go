// Package cgrouptree removes the cgroup trees that the container test
// helpers (nspawntest, systemdtest) make, once their processes are gone.
package cgrouptree
