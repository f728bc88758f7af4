package hostname

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json:
//
//	{"name": "atlas", "original": "debian"}
//
// Name is the host name gocfg set (absent: the host name is not
// managed); Original is the static host name the machine had before
// gocfg first managed it ("" when it had none), kept for as long as gocfg
// manages the name.
type Records struct {
	Name     *string `json:"name,omitempty"`
	Original *string `json:"original,omitempty"`
}

func (r *Records) managed() bool { return r != nil && r.Name != nil }

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("hostname", data)
}
