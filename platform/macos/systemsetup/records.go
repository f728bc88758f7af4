package systemsetup

import (
	"fmt"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// Records are the provider's part of resources.json, one entry per
// setting gocfg manages:
//
//	{"time_zone": {"value": "Europe/Paris", "original": "America/Los_Angeles"},
//	 "remote_login": {"value": "on", "original": "off"}}
//
// Value is what gocfg set; Original what the Mac had before gocfg first
// managed the setting, put back when the option goes. A setting absent
// from the records is not managed.
type Records struct {
	TimeZone    *Record `json:"time_zone,omitempty"`
	RemoteLogin *Record `json:"remote_login,omitempty"`
	Firewall    *Record `json:"firewall,omitempty"`
}

// A Record is one managed setting.
type Record struct {
	Value    string `json:"value"`
	Original string `json:"original"`
}

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	r, err := platform.DecodeRecords[Records]("systemsetup", data)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if rec := r.get(k); rec != nil && (rec.Value == "" || rec.Original == "") {
			return nil, fmt.Errorf("systemsetup records: %s: a value and the original are both needed", k)
		}
	}
	return r, nil
}

func (r *Records) field(key string) **Record {
	switch key {
	case TimeZone:
		return &r.TimeZone
	case RemoteLogin:
		return &r.RemoteLogin
	default:
		return &r.Firewall
	}
}

func (r *Records) get(key string) *Record {
	if r == nil {
		return nil
	}
	return *r.field(key)
}

func (r *Records) set(key string, rec *Record) { *r.field(key) = rec }

func (r *Records) empty() bool {
	return r == nil || r.TimeZone == nil && r.RemoteLogin == nil && r.Firewall == nil
}
