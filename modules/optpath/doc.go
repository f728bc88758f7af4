// Package optpath parses and prints option paths such as
// `networking.host_name` or `macos.defaults."com.apple.dock".autohide`:
// dot-separated segments, where a segment that is not an identifier is
// written in double quotes. Every stage of the pipeline names options and
// configuration values this way (diagnostics, `gocfg eval PATH`, resource
// IDs).
package optpath
