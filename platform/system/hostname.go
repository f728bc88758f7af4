package system

import (
	"errors"
	"io/fs"
	"strings"
)

// hostnameFile holds the static host name (hostname(5)).
const hostnameFile = "/etc/hostname"

// readHostname returns the static host name in sys's /etc/hostname: its
// first line that is neither empty nor a comment, trimmed; "" when the
// file is missing.
func readHostname(sys System) (string, error) {
	data, err := sys.ReadFile(hostnameFile)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return line, nil
		}
	}
	return "", nil
}

// writeHostname replaces sys's /etc/hostname with name.
func writeHostname(sys System, name string) error {
	return sys.WriteFile(hostnameFile, []byte(name+"\n"), 0o644)
}
