package accounts

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"

	"github.com/gocfg/gocfg/platform/system"
)

// SkelDir is where useradd copies a new home from: SKEL in
// /etc/default/useradd, else /etc/skel.
func SkelDir(sys system.System) string {
	dir := "/etc/skel"
	data, err := sys.ReadFile("/etc/default/useradd")
	if err != nil {
		return dir
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if ok && strings.TrimSpace(k) == "SKEL" {
			if v = strings.Trim(strings.TrimSpace(v), `"'`); filepath.IsAbs(v) {
				dir = filepath.Clean(v)
			}
		}
	}
	return dir
}
