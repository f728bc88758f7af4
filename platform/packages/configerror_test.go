package packages

import "github.com/gocfg/gocfg/platform"

// ConfigError lets this package's older tests name platform.ConfigError
// unqualified: the package itself has no alias of it any more (issue 12).
// Remove it once those tests say platform.ConfigError.
type ConfigError = platform.ConfigError
