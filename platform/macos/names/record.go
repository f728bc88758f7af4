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

// field is where r keeps the record of the name key (nil: no such name).
func (r *Records) field(key string) **Record {
	switch key {
	case HostName:
		return &r.HostName
	case ComputerName:
		return &r.ComputerName
	case LocalHostName:
		return &r.LocalHostName
	}
	return nil
}

func (r *Records) get(key string) *Record {
	if r == nil {
		return nil
	}
	if f := r.field(key); f != nil {
		return *f
	}
	return nil
}

func (r *Records) set(key string, rec *Record) {
	if f := r.field(key); f != nil {
		*f = rec
	}
}

func (r *Records) empty() bool {
	return r == nil || r.HostName == nil && r.ComputerName == nil && r.LocalHostName == nil
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	return platform.DecodeRecords[Records]("names", data)
}
