package keyboard

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json:
//
//	{"mapping": [{"src": 30064771129, "dst": 30064771113}], "original": []}
//
// Mapping is what gocfg set (absent: the mapping is not managed);
// Original is the mapping that was live before gocfg first managed it
// ([] for none), kept for as long as gocfg manages the mapping.
type Records struct {
	Mapping  []Pair  `json:"mapping,omitempty"`
	Original *[]Pair `json:"original,omitempty"`
}

func (r *Records) managed() bool { return r != nil && len(r.Mapping) > 0 }

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("keyboard", data)
}
