package mountinfo

import (
	"strconv"
	"strings"
)

// A Mount is one line of mountinfo, its paths unescaped.
type Mount struct {
	// Dev is the file system's device number as major:minor ("8:1"),
	// as stat's st_dev of its files gives it (a btrfs subvolume's files
	// have a number of their own).
	Dev string
	// Root is the folder of the file system mounted at MountPoint.
	Root       string
	MountPoint string
	// FSType is the file system's type (tmpfs, cgroup2, ext4…).
	FSType string
	Source string
	// SuperOptions are the file system's comma-separated options.
	SuperOptions string
}

// Parse reads the lines of a mountinfo file:
//
//	id parent major:minor root mountpoint options [optional...] - fstype source superopts
//
// A line without the separator, a mount point or a type is skipped.
func Parse(data string) []Mount {
	var out []Mount
	for _, line := range strings.Split(data, "\n") {
		pre, post, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f, g := strings.Fields(pre), strings.Fields(post)
		if len(f) < 5 || len(g) < 1 {
			continue
		}
		m := Mount{Dev: f[2], Root: unescape(f[3]), MountPoint: unescape(f[4]), FSType: g[0]}
		if len(g) > 1 {
			m.Source = g[1]
		}
		if len(g) > 2 {
			m.SuperOptions = g[2]
		}
		out = append(out, m)
	}
	return out
}

// HasSuperOption reports whether the file system's options have opt.
func (m Mount) HasSuperOption(opt string) bool {
	for _, o := range strings.Split(m.SuperOptions, ",") {
		if o == opt {
			return true
		}
	}
	return false
}

// unescape undoes mountinfo's octal escapes (\040 for a space).
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
