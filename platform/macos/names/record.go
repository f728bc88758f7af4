package names

import (
	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json, one entry per name
// gocfg manages:
//
//	{"HostName": {"name": "atlas", "original": "Alices-MacBook-Pro"},
//	 "LocalHostName": {"name": "atlas", "original": null}}
//
// Name is the value gocfg set; Original the value the Mac had before
// gocfg first managed the name, null when it was not set. A name absent
// from the records is not managed.
type Records struct {
	HostName      *Record `json:"HostName,omitempty"`
	ComputerName  *Record `json:"ComputerName,omitempty"`
	LocalHostName *Record `json:"LocalHostName,omitempty"`
}

// A Record is one managed name.
type Record struct {
	Name string `json:"name"`
	// Original is nil when the name was not set.
	Original *string `json:"original"`
}

func (r *Records) get(key string) *Record {
	if r == nil {
		return nil
	}
	switch key {
	case HostName:
		return r.HostName
	case ComputerName:
		return r.ComputerName
	case LocalHostName:
		return r.LocalHostName
	}
	return nil
}

func (r *Records) set(key string, rec *Record) {
	switch key {
	case HostName:
		r.HostName = rec
	case ComputerName:
		r.ComputerName = rec
	case LocalHostName:
		r.LocalHostName = rec
	}
}

func (r *Records) empty() bool {
	return r == nil || r.HostName == nil && r.ComputerName == nil && r.LocalHostName == nil
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("names", data)
}
