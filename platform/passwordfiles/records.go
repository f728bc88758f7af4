package passwordfiles

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json: the file each
// user's password is read from.
//
//	{"files": {"alice": "/run/gocfg/secrets/alice-password"}}
type Records struct {
	Files map[string]string `json:"files,omitempty"`
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records](name, data)
}
