package keyboard

import (
	"fmt"

	"github.com/gocfg/gocfg/platform"
)

// Option is the option this provider applies.
const Option = "macos.keyboard.user_key_mapping"

// Config is the part of the configuration this provider reads.
type Config struct {
	// UserKeyMapping is macos.keyboard.user_key_mapping; empty means
	// gocfg does not manage the mapping.
	UserKeyMapping []Pair `json:"user_key_mapping"`
}

// ConfigFromJSON picks macos.keyboard.user_key_mapping out of the whole
// evaluated configuration as plain JSON (`gocfg eval --json`).
func ConfigFromJSON(js []byte) (*Config, error) {
	c, err := platform.ConfigAt[Config](js, "macos.keyboard")
	if err != nil {
		return nil, err
	}
	for i, p := range c.UserKeyMapping {
		if p.Src <= 0 || p.Dst <= 0 {
			return nil, &platform.ConfigError{Option: fmt.Sprintf("%s[%d]", Option, i), Msg: fmt.Sprintf("src %d, dst %d: a HID usage is a positive number", p.Src, p.Dst),
				Hint: "write 0x700000000 | the key's usage, e.g. 30064771129 (0x700000039) for Caps Lock"}
		}
	}
	return c, nil
}
