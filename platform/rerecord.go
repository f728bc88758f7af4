package platform

import (
	json "github.com/goccy/go-json"
)

// EncodeRerecorded writes resources.json for a rollback to a generation
// that recorded target: target's records, but for each provider in
// p.Rerecorded or p.Holders the records of the plan, which say what the
// rollback applied (and, of a held home, what the current generation
// has). The other providers' records are kept as target has them:
// planned from records, they are what target recorded.
func (p *Plan) EncodeRerecorded(target Applied) ([]byte, error) {
	recs := make(map[string]any, len(target)+len(p.Rerecorded))
	for name, raw := range target {
		recs[name] = raw
	}
	for name := range p.Rerecorded {
		recs[name] = p.Records[name]
	}
	for _, name := range p.Holders {
		recs[name] = p.Records[name]
	}
	return json.Marshal(resourcesDoc{resourcesVersion, recs})
}
