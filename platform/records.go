package platform

import (
	"fmt"

	json "github.com/goccy/go-json"
)

// DecodeRecords reads the records a provider named name wrote into
// resources.json (Provider.Name: "files", "users" …) into a new T. No
// records (nil or empty data, or JSON null) are T's zero value: a
// provider that has applied nothing yet. An error says "<name>
// records: " and what is wrong. Each provider's DecodeRecords calls it
// with its own Records type, and checks what JSON cannot say after it.
func DecodeRecords[T any](name string, data []byte) (*T, error) {
	recs := new(T)
	if len(data) == 0 || string(data) == "null" {
		return recs, nil
	}
	if err := json.Unmarshal(data, recs); err != nil {
		return nil, fmt.Errorf("%s records: %w", name, err)
	}
	return recs, nil
}
