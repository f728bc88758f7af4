package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/gocfg/gocfg/modules"
	"github.com/spf13/cobra"
)

// optionsOptions are the inputs of `gocfg options`.
type optionsOptions struct {
	Env      *Env
	Config   configFlags
	JSON     bool
	Markdown bool
	// BuiltinsOnly ignores the user's configuration: the reference of
	// the built-in options (docs/options.md).
	BuiltinsOnly bool
	Prefix       string
}

func newOptionsCmd(env *Env, runF func(context.Context, *optionsOptions) error) *cobra.Command {
	opts := &optionsOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "options [PREFIX]",
		Short: "List the declared options with type, default, description and where declared",
		Long: `List every option the built-in modules and your configuration declare, or those
under PREFIX (such as macos.dock), with type, default, description and the
module that declares it. A PREFIX that is no option's path is searched for:
the options whose path has each of its dot-separated words are listed
(gocfg options firewall), a NixOS camelCase name read as gocfg writes it
(sessionVariables: session_variables). Without a configuration (none at the
default location), the built-in options are listed.

--markdown prints the reference page; docs/options.md is generated with
  gocfg options --markdown --builtins-only` + exitCodesHelp,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Prefix = args[0]
			}
			return runF(cmd.Context(), opts)
		},
		ValidArgsFunction: completeOptionPath(env, &opts.Config),
	}
	opts.Config.register(cmd)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&opts.Markdown, "markdown", false, "print Markdown (the reference page)")
	cmd.Flags().BoolVar(&opts.BuiltinsOnly, "builtins-only", false, "list only the built-in options, ignoring any configuration")
	markExclusive(cmd, "json", "markdown")
	return cmd
}

func runOptions(_ context.Context, opts *optionsOptions) error {
	env := opts.Env
	ev, err := loadForOptions(env, opts)
	if err != nil {
		return err
	}
	var list []modules.OptionInfo
	if opts.Prefix == "" {
		list = ev.Options("")
	} else if _, err := ev.ParsePath(opts.Prefix); err == nil {
		list = ev.Options(opts.Prefix)
	} else {
		// Not a path: a word to look for (tester BC: gocfg options
		// firewall, or NixOS's sessionVariables, found nothing).
		if list = searchOptions(ev.Options(""), opts.Prefix); len(list) == 0 {
			return withHints(err, "run gocfg options without a prefix to list everything")
		}
		these := fmt.Sprintf("these are the %d options", len(list))
		if len(list) == 1 {
			these = "this is the option"
		}
		fmt.Fprintf(env.Stderr, "gocfg: no option is named %s; %s whose path has %s:\n", opts.Prefix, these, strings.Join(searchWords(opts.Prefix), " and "))
	}
	switch {
	case opts.JSON:
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if list == nil {
			list = []modules.OptionInfo{}
		}
		return enc.Encode(list)
	case opts.Markdown:
		return writeOptionsMarkdown(env.Stdout, list, opts.BuiltinsOnly)
	}
	return writeOptionsText(env.Stdout, list)
}

// searchOptions are the options of list whose path has every word of
// query (searchWords), case ignored.
func searchOptions(list []modules.OptionInfo, query string) []modules.OptionInfo {
	words := searchWords(query)
	var out []modules.OptionInfo
	for _, o := range list {
		path := strings.ToLower(o.Path)
		all := len(words) > 0
		for _, w := range words {
			all = all && strings.Contains(path, w)
		}
		if all {
			out = append(out, o)
		}
	}
	return out
}

// searchWords are the words of a query, lowercased: its parts between
// dots, each written as gocfg names options (NixOS's camelCase in
// snake_case: allowedTCPPorts is allowed_tcp_ports).
func searchWords(query string) []string {
	var words []string
	for _, part := range strings.Split(query, ".") {
		if part != "" {
			words = append(words, snakeCase(part))
		}
	}
	return words
}

// snakeCase writes a camelCase name in snake_case, a run of capitals as
// one word (TCPPorts: tcp_ports).
func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		upper := 'A' <= r && r <= 'Z'
		if upper && i > 0 {
			prevLower := 'a' <= rs[i-1] && rs[i-1] <= 'z' || '0' <= rs[i-1] && rs[i-1] <= '9'
			nextLower := i+1 < len(rs) && 'a' <= rs[i+1] && rs[i+1] <= 'z'
			prevUpper := 'A' <= rs[i-1] && rs[i-1] <= 'Z'
			if prevLower || prevUpper && nextLower {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// loadForOptions loads the configuration, or only the built-ins when
// asked to or when there is none at the default location.
func loadForOptions(env *Env, opts *optionsOptions) (*modules.Evaluation, error) {
	entry := ""
	if !opts.BuiltinsOnly {
		loc, chosen := opts.Config.location(env)
		if _, statErr := os.Stat(loc); chosen || statErr == nil {
			var err error
			if entry, err = opts.Config.entry(env); err != nil {
				return nil, err
			}
		}
	}
	// Only the declarations: the options are listed even when a
	// definition is wrong (an undeclared option's hint sends here).
	ev, diags := modules.LoadDeclarations(modules.Options{
		Entry:   entry,
		Getenv:  env.Getenv,
		WorkDir: env.WorkDir,
	})
	if err := printDiags(env, ev, diags); err != nil {
		return nil, err
	}
	return ev, nil
}

func writeOptionsText(w io.Writer, list []modules.OptionInfo) error {
	var b strings.Builder
	for i, o := range list {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s\n  type:     %s\n", o.Path, o.Type)
		if o.Default != "" {
			fmt.Fprintf(&b, "  default:  %s\n", indentRest(o.Default, "            "))
		}
		if o.Example != "" {
			fmt.Fprintf(&b, "  example:  %s\n", indentRest(o.Example, "            "))
		}
		fmt.Fprintf(&b, "  declared: %s\n", strings.Join(o.Declared, ", "))
		if o.Description != "" {
			fmt.Fprintf(&b, "  %s\n", indentRest(strings.TrimSpace(o.Description), "  "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func indentRest(s, pad string) string {
	return strings.ReplaceAll(s, "\n", "\n"+pad)
}

// writeOptionsMarkdown prints the option reference.
func writeOptionsMarkdown(w io.Writer, list []modules.OptionInfo, builtinsOnly bool) error {
	var b strings.Builder
	b.WriteString("# gocfg options\n\n")
	if builtinsOnly {
		b.WriteString("<!-- Generated by `gocfg options --markdown --builtins-only`; do not edit. -->\n\n")
		b.WriteString("Every option the built-in modules declare.")
	} else {
		b.WriteString("Every option the built-in modules and this configuration declare.")
	}
	b.WriteString(" `<name>` stands for any key of\n")
	b.WriteString("an attribute set, `*` for any element of a list.\n")
	for _, o := range list {
		fmt.Fprintf(&b, "\n## `%s`\n\n", o.Path)
		if d := strings.TrimSpace(o.Description); d != "" {
			b.WriteString(d + "\n\n")
		}
		fmt.Fprintf(&b, "- Type: `%s`\n", o.Type)
		if o.Default != "" {
			b.WriteString("- Default: " + mdCode(o.Default) + "\n")
		}
		if o.Example != "" {
			b.WriteString("- Example: " + mdCode(o.Example) + "\n")
		}
		var where []string
		for _, d := range o.Declared {
			where = append(where, mdDeclared(d))
		}
		b.WriteString("- Declared in: " + strings.Join(where, ", ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdCode(s string) string {
	if strings.Contains(s, "\n") {
		return "\n\n  ```hcl\n  " + strings.ReplaceAll(s, "\n", "\n  ") + "\n  ```"
	}
	return "`" + s + "`"
}

// mdDeclared links a built-in module to its file in the repository.
func mdDeclared(ref string) string {
	if !modules.IsBuiltinFile(ref) {
		return "`" + ref + "`"
	}
	file := strings.TrimPrefix(ref, "<builtin>/")
	if i := strings.Index(file, ":"); i >= 0 {
		file = file[:i]
	}
	return fmt.Sprintf("[`%s`](../modules/builtin/hcl/%s)", file, file)
}
