package unitstate

import (
	"fmt"
	"maps"
	"slices"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json:
//
//	{"units": {"ssh.service": {"enable": true, "original": {"enabled": false, "active": false}}}}
//
// Each unit gocfg manages keeps what the configuration asked for, the
// links gocfg made for wanted_by (removed again when no longer wanted),
// and the state the unit had before gocfg first took it over, kept for
// as long as gocfg manages it.
type Records struct {
	Units map[string]*Record `json:"units,omitempty"`
}

// A Record is one managed unit.
type Record struct {
	Enable bool `json:"enable"`
	// WantedBy: nil when enabled by the unit's [Install] section.
	WantedBy []string `json:"wanted_by,omitempty"`
	// Links are the links gocfg made for WantedBy (machine paths).
	Links    []string `json:"links,omitempty"`
	Original State    `json:"original"`
}

// State is a unit's enablement and activity.
type State struct {
	Enabled bool `json:"enabled"`
	Active  bool `json:"active"`
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	r, err := platform.DecodeRecords[Records]("unitstate", data)
	if err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(r.Units)) { // the first error in key order
		u := r.Units[name]
		if u == nil {
			return nil, fmt.Errorf("unitstate records: unit %q: null", name)
		}
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("unitstate records: %w", err)
		}
		for _, l := range u.Links {
			if !ourLinkPath(name, l) {
				return nil, fmt.Errorf("unitstate records: unit %s: link %q is not one gocfg makes", name, l)
			}
		}
	}
	return r, nil
}
