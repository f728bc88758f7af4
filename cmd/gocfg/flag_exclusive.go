package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// markExclusive makes the flags names of cmd exclude one another, as
// cobra's MarkFlagsMutuallyExclusive does, with gocfg's words and a
// hint: "--plan and --rollback: give one of --plan, --rollback or
// --dry-run", where cobra said "if any flags in the group [plan rollback
// dry-run] are set none of the others can be; [plan rollback] were all
// set". The check runs before the command's own (a PreRunE of its own
// still runs after it).
func markExclusive(cmd *cobra.Command, names ...string) {
	next := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		var set []string
		for _, n := range names {
			if c.Flags().Changed(n) {
				set = append(set, "--"+n)
			}
		}
		if len(set) > 1 {
			all := make([]string, len(names))
			for i, n := range names {
				all[i] = "--" + n
			}
			return withHints(fmt.Errorf("%s: give one of %s", strings.Join(set, " and "), joinFlags(all)), "see: "+c.CommandPath()+" --help")
		}
		if next != nil {
			return next(c, args)
		}
		return nil
	}
}

// joinFlags lists flags as a sentence does: "--a, --b or --c".
func joinFlags(fs []string) string {
	if len(fs) < 2 {
		return strings.Join(fs, "")
	}
	return strings.Join(fs[:len(fs)-1], ", ") + " or " + fs[len(fs)-1]
}
