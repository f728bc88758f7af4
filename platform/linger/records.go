package linger

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json: for each user whose
// lingering gocfg manages, what it set and what the user had before.
//
//	{"users": {"alice": {"linger": true, "original": false}}}
type Records struct {
	Users map[string]Record `json:"users,omitempty"`
}

// A Record is one user's lingering.
type Record struct {
	Linger   bool `json:"linger"`
	Original bool `json:"original"`
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records](name, data)
}
