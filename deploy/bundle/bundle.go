package bundle

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	json "github.com/goccy/go-json"

	"howett.net/plist"
)

// Version is the format version in the gocfg-bundle entry (2: the
// sources travel as a manifest and the files the host lacks).
const Version = 2

// MaxSize bounds what Extract writes (1 GiB): a bundle is configuration
// and dotfiles, not data.
const MaxSize = 1 << 30

// Meta says where a bundle comes from and how the host treats it.
type Meta struct {
	// Host is the host's name (hosts/<Host>.hcl).
	Host string `json:"host"`
	// Commit and Dirty describe the repository it was evaluated from
	// (recorded in the generation's meta.json as a local switch does).
	Commit string `json:"commit,omitempty"`
	Dirty  bool   `json:"dirty,omitempty"`
	// Version is the deploying gocfg's version.
	Version string `json:"version,omitempty"`
}

// A Bundle is a host's evaluated configuration and what it reads.
type Bundle struct {
	Meta   Meta
	Config []byte
	// Plists holds the plist-typed options (platform.Config.Plists).
	Plists map[string]any
	// Sources are absolute paths on the deploying machine whose files
	// (folders: every file below) the configuration reads.
	Sources []string
	// Manifest lists the sources' paths (nil: Write makes it from
	// Sources; Read: the received one).
	Manifest Manifest
	// Send names the manifest's files whose content Write sends (nil:
	// all): those the host's previous bundle lacks (Manifest.Missing).
	Send map[string]bool
}

// Read reads an extracted bundle from dir.
func Read(dir string) (*Bundle, error) {
	b := &Bundle{}
	v, err := os.ReadFile(filepath.Join(dir, "gocfg-bundle"))
	if err != nil {
		return nil, fmt.Errorf("%s: not a gocfg bundle: %w", dir, err)
	}
	if string(v) != fmt.Sprintf("%d\n", Version) {
		return nil, fmt.Errorf("%s: bundle format %q; this gocfg reads format %d: deploy with the same gocfg version", dir, v, Version)
	}
	meta, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(meta, &b.Meta); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "meta.json"), err)
	}
	if b.Config, err = os.ReadFile(filepath.Join(dir, "config.json")); err != nil {
		return nil, err
	}
	if !json.Valid(b.Config) {
		return nil, fmt.Errorf("%s: not JSON", filepath.Join(dir, "config.json"))
	}
	mj, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(mj, &b.Manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	px, err := os.ReadFile(filepath.Join(dir, "plists.xml"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		if b.Plists, err = decodePlists(px); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "plists.xml"), err)
		}
	}
	return b, nil
}

// SourceRoot is the folder of an extracted bundle under which the source
// files sit at their paths.
func SourceRoot(dir string) string { return filepath.Join(dir, "src") }

func encodePlists(m map[string]any) ([]byte, error) {
	if len(m) == 0 {
		return nil, nil
	}
	return plist.MarshalIndent(m, plist.XMLFormat, "\t")
}

// decodePlists reads plists.xml back into the Go values plistval.ToGo
// makes: integers as int64 (the decoder gives uint64 for non-negative
// ones).
func decodePlists(data []byte) (map[string]any, error) {
	var m map[string]any
	if _, err := plist.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	for k, v := range m {
		m[k] = normalize(v)
	}
	return m, nil
}

func normalize(v any) any {
	switch x := v.(type) {
	case uint64:
		if x <= 1<<63-1 {
			return int64(x)
		}
		return x
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
		return x
	}
	return v
}

// sortedSources is the sources, cleaned, sorted and without duplicates or
// paths below another one.
func sortedSources(ss []string) []string {
	var out []string
	c := make([]string, 0, len(ss))
	for _, s := range ss {
		c = append(c, filepath.Clean(s))
	}
	sort.Strings(c)
	for _, s := range c {
		if n := len(out); n > 0 && (s == out[n-1] || within(out[n-1], s)) {
			continue
		}
		out = append(out, s)
	}
	return out
}

// within reports whether p is below dir.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && !filepath.IsAbs(rel) && rel != ".." && !hasDotDot(rel)
}

func hasDotDot(rel string) bool {
	return rel == ".." || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator)
}
