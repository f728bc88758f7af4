package platform

import (
	"fmt"
	"slices"

	json "github.com/goccy/go-json"
)

// DecodeRecords reads the records a provider named name wrote into
// resources.json (Provider.Name: "files", "users" …) into a new T. No
// records (nil or empty data, or JSON null) are T's zero value: a
// provider that has applied nothing yet. An error says "<name>
// records: " and what is wrong. Each provider's DecodeRecords calls it
// with its own Records type, and checks what JSON cannot say after it.
func DecodeRecords[T any](name string, data []byte) (*T, error) {
	return decodeRecords[T](name, data)
}

// DecodeRecordsSharing is DecodeRecords for records of many paths (the
// files provider's: 100,000 strings for 10,000 dotfiles, allocated one
// by one on every switch): the decoded strings refer to data instead of
// copies of it (json.DecodeNoCopyString), so data must not be modified
// while the records are used; the data of a generation's resources.json
// never is (DecodeAppliedFile's records are slices of the file read).
func DecodeRecordsSharing[T any](name string, data []byte) (*T, error) {
	return decodeRecords[T](name, data, json.DecodeNoCopyString())
}

// A LongRecords is a provider's records with one long list (the files
// provider's files: 10,000 for as many dotfiles), which EncodeRecords
// writes a part at a time instead of through one growing buffer
// (platform/internal/longjson). Records that are not LongRecords are
// encoded whole.
type LongRecords interface {
	// WithoutList returns a copy of the records whose list is nil, or
	// empty (not nil) when empty is set.
	WithoutList(empty bool) any
	// ListLen is the length of the list, and ListPart(lo, hi) its
	// elements lo to hi, as a slice.
	ListLen() int
	ListPart(lo, hi int) any
}

func decodeRecords[T any](name string, data []byte, opts ...json.DecodeOptionFunc) (*T, error) {
	recs := new(T)
	if len(data) == 0 || string(data) == "null" {
		return recs, nil
	}
	if err := json.UnmarshalWithOption(data, recs, opts...); err != nil {
		return nil, fmt.Errorf("%s records: %w", name, err)
	}
	return recs, nil
}

// ByID pairs a provider's desired resources with their records in the
// current generation (applied) by their IDs (units, launchd jobs): it
// returns the IDs of both, sorted, and each side by ID, where a resource
// only desired has no record and one only recorded is desired no more.
func ByID[T interface{ ID() string }](want, applied []T) (ids []string, wantByID, appliedByID map[string]T) {
	wantByID = make(map[string]T, len(want))
	for _, r := range want {
		wantByID[r.ID()] = r
		ids = append(ids, r.ID())
	}
	appliedByID = make(map[string]T, len(applied))
	for _, a := range applied {
		appliedByID[a.ID()] = a
		if _, ok := wantByID[a.ID()]; !ok {
			ids = append(ids, a.ID())
		}
	}
	slices.Sort(ids)
	return ids, wantByID, appliedByID
}
