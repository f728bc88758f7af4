// Package render turns evaluated configuration values into text: HCL
// syntax for people (`gocfg eval`, option defaults, values quoted in
// diagnostics), which reads back as the same value, and plain JSON for
// machines (`gocfg eval --json`). Plist capsules print as real(...),
// date(...) and data(...) in HCL, and as numbers and strings in JSON.
package render
