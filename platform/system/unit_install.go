package system

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/coreos/go-systemd/v22/unit"
)

// An installInfo is the [Install] section of a unit file.
type installInfo struct {
	wantedBy, requiredBy, upheldBy, alias, also []string
	defaultInstance                             string
}

// empty reports whether the section asks for nothing (a static unit).
func (i installInfo) empty() bool {
	return len(i.wantedBy)+len(i.requiredBy)+len(i.upheldBy)+len(i.alias)+len(i.also) == 0
}

// templateOf returns the template of an instance name (foo@bar.service
// → foo@.service), or "" when name is not an instance.
func templateOf(name string) string {
	at := strings.IndexByte(name, '@')
	dot := strings.LastIndexByte(name, '.')
	if at < 0 || dot < at || at+1 == dot {
		return ""
	}
	return name[:at+1] + name[dot:]
}

// checkName returns an error for what is not a unit file name.
func checkName(name string) error {
	if name == "" || strings.ContainsRune(name, '/') || !strings.Contains(name, ".") {
		return fmt.Errorf("unit %s: not a unit name", name)
	}
	return nil
}

// parseInstall reads the [Install] section of a unit file.
func parseInstall(data []byte) (installInfo, error) {
	opts, err := unit.DeserializeOptions(bytes.NewReader(data))
	if err != nil {
		return installInfo{}, err
	}
	var info installInfo
	for _, o := range opts {
		if o.Section != "Install" {
			continue
		}
		switch o.Name {
		case "WantedBy":
			info.wantedBy = append(info.wantedBy, strings.Fields(o.Value)...)
		case "RequiredBy":
			info.requiredBy = append(info.requiredBy, strings.Fields(o.Value)...)
		case "UpheldBy":
			info.upheldBy = append(info.upheldBy, strings.Fields(o.Value)...)
		case "Alias":
			info.alias = append(info.alias, strings.Fields(o.Value)...)
		case "Also":
			info.also = append(info.also, strings.Fields(o.Value)...)
		case "DefaultInstance":
			info.defaultInstance = strings.TrimSpace(o.Value)
		}
	}
	return info, nil
}
