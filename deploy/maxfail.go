package deploy

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxFail reads `--max-fail N|P%` for a deploy to total hosts: the number
// of failed hosts at which the hosts not yet started are skipped (hosts
// under way finish). 0 is no limit, for "": every host is tried. A
// percentage of the hosts rounds down, but never below one host.
func MaxFail(s string, total int) (int, error) {
	if s == "" {
		return 0, nil
	}
	if p, ok := strings.CutSuffix(s, "%"); ok {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 100 {
			return 0, fmt.Errorf("--max-fail %s: a percentage is a whole number from 1%% to 100%%", s)
		}
		return max(total*n/100, 1), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("--max-fail %s: give a number of hosts, at least 1 (2), or a percentage (10%%)", s)
	}
	return n, nil
}
