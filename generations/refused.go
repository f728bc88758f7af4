package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"time"

	json "github.com/goccy/go-json"
)

// refusedFile, in a generation's folder, says that the generation was
// refused after it was made current: gocfg deploy's magic rollback
// returned from it (a health check failed, or the host could not be
// reached again). A generation's other files never change; this one is
// added once, after the fact.
const refusedFile = "refused.json"

// Refusal is why a generation was refused, and when.
type Refusal struct {
	Time   time.Time `json:"time"`
	Reason string    `json:"reason"`
}

// Refuse records that generation n was refused for reason. A plain
// gocfg rollback passes over it (as deploy-rs deletes a generation it
// rolled back from): it is kept, for generations diff and an explicit
// rollback --to, and generations list marks it.
func (s *Store) Refuse(n int, reason string, at time.Time) error {
	p := s.Path(n)
	if _, err := s.sys.Lstat(p); err != nil {
		return err
	}
	data, err := json.Marshal(Refusal{Time: at.UTC(), Reason: reason})
	if err != nil {
		return err
	}
	return s.sys.WriteFile(filepath.Join(p, refusedFile), append(data, '\n'), s.metaMode())
}

// Refused returns why generation n was refused, if it was. A damaged
// marker still marks it refused, with the damage as the reason.
func (s *Store) Refused(n int) (Refusal, bool) {
	p := filepath.Join(s.Path(n), refusedFile)
	data, err := s.sys.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Refusal{}, false
	}
	var r Refusal
	if err == nil {
		err = json.Unmarshal(data, &r)
	}
	if err != nil {
		return Refusal{Reason: fmt.Sprintf("%s: %v", p, err)}, true
	}
	return r, true
}
