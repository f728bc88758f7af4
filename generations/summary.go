package generations

// A Summary counts the resources a switch created, changed and removed,
// as the plan's summary line shows them.
type Summary struct {
	Add    int `json:"add"`
	Change int `json:"change"`
	Remove int `json:"remove"`
}
