package schema

import "github.com/agext/levenshtein"

// distance is the edit distance between two names, for "did you mean".
func distance(a, b string) int {
	return levenshtein.Distance(a, b, nil)
}
