package secrets

// SecretID is the resource ID of the system secret name.
func SecretID(name string) string { return "secret:" + name }

// HomeSecretID is the resource ID of user's secret name.
func HomeSecretID(user, name string) string { return "secret:~" + user + "/" + name }

// The IDs of the machinery changes: the new set's folder, the swap of
// /run/gocfg/secrets, the units restarted.
const (
	setID   = "secrets:set"
	swapID  = "secrets:swap"
	unitsID = "secrets:units"
)

const kind = "secret"
