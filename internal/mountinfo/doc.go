// Package mountinfo reads /proc/self/mountinfo (proc(5)): which file
// system is mounted where. platform/secrets asks it whether the secrets
// live on a RAM file system; the systemd test harness finds the cgroup
// hierarchies with it.
package mountinfo
