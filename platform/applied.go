package platform

import (
	"bytes"
	"fmt"
	"maps"
	"slices"

	json "github.com/goccy/go-json"
	"github.com/gocfg/gocfg/generations"
)

// DecodeAppliedFile reads path, a generation's resources.json, whose
// content is data. A file that is empty, truncated, not JSON or not the
// shape gocfg writes (an object with a version and an object of
// records, one object or null per provider) is a
// *generations.DamagedError naming path: it is never taken for a
// generation that manages nothing, which would make every managed file
// look unmanaged. A file of another version is an error naming path too.
func DecodeAppliedFile(path string, data []byte) (Applied, error) {
	if a, ok := splitApplied(data); ok { // applied_split.go
		return a, nil
	}
	return decodeApplied(path, data)
}

// decodeApplied is DecodeAppliedFile with json.Unmarshal.
func decodeApplied(path string, data []byte) (Applied, error) {
	var doc struct {
		Version *int    `json:"version"`
		Records Applied `json:"records"`
	}
	if err := generations.DecodeRecord(path, data, json.Unmarshal, &doc); err != nil {
		return nil, err
	}
	damaged := func(format string, args ...any) error {
		return &generations.DamagedError{Path: path, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case doc.Version == nil:
		return nil, damaged("it has no version")
	case *doc.Version != resourcesVersion:
		return nil, fmt.Errorf("%s: version %d, this gocfg reads version %d", path, *doc.Version, resourcesVersion)
	case doc.Records == nil:
		return nil, damaged("it has no records")
	}
	for _, name := range slices.Sorted(maps.Keys(doc.Records)) { // the first error in name order
		if r := bytes.TrimLeft(doc.Records[name], " \t\r\n"); len(r) == 0 || (r[0] != '{' && string(r) != "null") {
			return nil, damaged("the records of %q are not a JSON object", name)
		}
	}
	return doc.Records, nil
}
