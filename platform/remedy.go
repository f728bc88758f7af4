package platform

// A Remedy is one thing the user can do about a Conflict. Its Kind says
// where the remedy acts, so that a command can drop the ones it cannot
// offer (a rollback reads no configuration, so it drops ByConfig) without
// reading the text.
type Remedy struct {
	Kind RemedyKind `json:"kind"`
	// Text says what to do, as a hint line prints it.
	Text string `json:"text"`
}

// A RemedyKind says where a Remedy acts.
type RemedyKind string

const (
	// ByHand: change the machine (move a file away, unload a job).
	ByHand RemedyKind = "by-hand"
	// ByFlag: run gocfg again with another option (--backup-ext).
	ByFlag RemedyKind = "flag"
	// ByConfig: change the configuration (force = true, drop an option).
	ByConfig RemedyKind = "config"
)

// Fix is a Remedy ByHand.
func Fix(text string) Remedy { return Remedy{Kind: ByHand, Text: text} }

// Flag is a Remedy ByFlag.
func Flag(text string) Remedy { return Remedy{Kind: ByFlag, Text: text} }

// Reconfigure is a Remedy ByConfig.
func Reconfigure(text string) Remedy { return Remedy{Kind: ByConfig, Text: text} }

// Without returns the remedies that are not of kind k.
func Without(rs []Remedy, k RemedyKind) []Remedy {
	var out []Remedy
	for _, r := range rs {
		if r.Kind != k {
			out = append(out, r)
		}
	}
	return out
}
