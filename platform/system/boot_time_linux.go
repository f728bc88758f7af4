package system

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"time"
)

// BootTime is when this boot of the machine began, as /proc/stat's btime
// says (the clock now less the time since the boot, so it moves when the
// clock is set); the zero time when it cannot be read. Recovery reads a
// journal of an older gocfg, which did not record its boot, by it.
func BootTime() time.Time {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return time.Time{}
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "btime "); ok {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && n > 0 {
				return time.Unix(n, 0)
			}
		}
	}
	return time.Time{}
}
