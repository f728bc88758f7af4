package launchd

import (
	"fmt"
	"strconv"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/platform"
)

// The kinds of job.
const (
	KindAgent  = "agent"
	KindDaemon = "daemon"
)

// Records are the provider's part of resources.json: every job gocfg
// manages, sorted by ID.
//
//	{"jobs": [{"kind": "agent", "label": "org.example.sync", "user": "alice",
//	  "uid": 501, "path": "/Users/alice/Library/LaunchAgents/org.example.sync.plist",
//	  "root": "launchd/agents/alice", "rel": "org.example.sync.plist",
//	  "hash": "<sha256 of the plist>", "file_uid": 501, "file_gid": 20}]}
type Records struct {
	Jobs []*Record `json:"jobs"`
}

// A Record is one managed job: as desired, and as a generation records
// it. Its content is in the generation's files tree at Root/Rel.
type Record struct {
	// Kind is KindAgent or KindDaemon.
	Kind  string `json:"kind"`
	Label string `json:"label"`
	// User and UID are the agent's user and their uid (the gui/<uid>
	// domain; -1 when unknown, offline); UID is 0 for daemons.
	User string `json:"user,omitempty"`
	UID  int    `json:"uid"`
	// Path is the plist's machine path.
	Path string `json:"path"`
	// Root and Rel locate the plist in a generation's files tree.
	Root string `json:"root"`
	Rel  string `json:"rel"`
	// Hash is the sha256 of the plist.
	Hash string `json:"hash"`
	// FileUID and FileGID own the file (-1: left alone, a run without
	// root).
	FileUID int `json:"file_uid"`
	FileGID int `json:"file_gid"`

	plist []byte // the rendered plist (desired from configuration only)
}

// ID is the job's resource ID: launchd:agent:<user>:<label>,
// launchd:daemon:<label>.
func (r *Record) ID() string {
	if r.Kind == KindAgent {
		return "launchd:agent:" + r.User + ":" + r.Label
	}
	return "launchd:daemon:" + r.Label
}

// Domain is the launchd domain the job is loaded in: gui/<uid> or
// system.
func (r *Record) Domain() string {
	if r.Kind == KindAgent {
		return "gui/" + strconv.Itoa(r.UID)
	}
	return "system"
}

// option names the job's option, for notes and warnings.
func (r *Record) option() string { return optionOf(r.Kind, r.Label) }

// DecodeRecords reads the provider's records (nil data: none).
func DecodeRecords(data json.RawMessage) (*Records, error) {
	recs, err := platform.DecodeRecords[Records]("launchd", data)
	if err != nil {
		return nil, err
	}
	for _, r := range recs.Jobs {
		if r == nil || (r.Kind != KindAgent && r.Kind != KindDaemon) || r.Label == "" || r.Path == "" {
			return nil, fmt.Errorf("launchd records: a job without kind, label or path: %+v", r)
		}
	}
	return recs, nil
}
