package unitstate

// UnitID is the resource ID of the state of unit name (ssh.service).
func UnitID(name string) string { return "unitstate:" + name }
