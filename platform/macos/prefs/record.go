package prefs

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json: every key gocfg
// manages, with the value it wrote and the value the key had before gocfg
// first managed it (absent: the key did not exist; it is deleted when
// gocfg lets go of it).
//
//	{"keys": [{"scope": "user", "user": "alice", "domain": "com.apple.dock",
//	  "key": "tilesize", "value": "<plist XML>", "original": "<plist XML>"}]}
type Records struct {
	Keys []KeyRecord `json:"keys"`
}

// A KeyRecord is one managed key.
type KeyRecord struct {
	Domain
	Key      string `json:"key"`
	Value    Value  `json:"value"`
	Original *Value `json:"original,omitempty"`
}

// ID is the key's resource ID.
func (r KeyRecord) ID() string { return r.Domain.KeyID(r.Key) }

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("defaults", data)
}
