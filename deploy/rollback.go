package deploy

import (
	"context"
	json "github.com/goccy/go-json"
	"io"
	"regexp"
	"strconv"
)

// rollback runs gocfg rollback on h (deploy --rollback). Its result
// carries the generations before and after, for the table's "7 → 3":
// the current one as `generations list --json` gives it before, and the
// one the rollback's last line makes current ("Generation 3 is
// current."); 0 when either cannot be read, which fails nothing.
func (d *Deployer) rollback(ctx context.Context, h Host, bin Raw, w *Prefixed, at *stage) Result {
	from := d.currentGeneration(ctx, h, bin)
	*at = stageRollingBack
	out := &currentWatcher{w: w}
	if err := d.T.Run(ctx, h, Remote{Command: Shell(BecomeArgs(h), bin, "rollback", d.backupArgs()), Stdout: out, Stderr: w}); err != nil {
		return failed("gocfg rollback: %v", err)
	}
	r := Result{Outcome: RolledBack, OK: true, settled: true, From: from, To: out.current}
	if r.From == 0 || r.To == 0 {
		r.From, r.To = 0, 0
	}
	return r
}

// currentGeneration is h's current generation; 0 when there is none or
// it cannot be read.
func (d *Deployer) currentGeneration(ctx context.Context, h Host, bin Raw) int {
	out := &tailBuffer{max: tailJSON, whole: true}
	if err := d.runStep(ctx, h, Remote{Command: afterLine + Shell(BecomeArgs(h), bin, "generations", "list", "--json"), Stdout: out, Stderr: io.Discard}, "gocfg generations list"); err != nil {
		return 0
	}
	answer, err := out.all("gocfg generations list --json")
	if err != nil {
		return 0
	}
	var list []struct {
		Number  int  `json:"number"`
		Current bool `json:"current"`
	}
	if json.Unmarshal(jsonAfterNoise(answer), &list) != nil {
		return 0
	}
	for _, g := range list {
		if g.Current {
			return g.Number
		}
	}
	return 0
}

// currentLine is the line gocfg switch and rollback end with.
var currentLine = regexp.MustCompile(`^Generation ([0-9]+) is current\.\n$`)

// A currentWatcher passes a host's output on to w and keeps the
// generation its "Generation N is current." line names.
type currentWatcher struct {
	w       io.Writer
	lines   lines
	current int
}

func (c *currentWatcher) Write(p []byte) (int, error) {
	c.lines.add(p, func(line []byte) {
		if m := currentLine.FindSubmatch(line); m != nil {
			c.current, _ = strconv.Atoi(string(m[1]))
		}
	})
	// A line that never ends is not the one looked for, and is not held
	// (tester AS).
	if len(c.lines.rest) > maxLine {
		c.lines.rest = c.lines.rest[:0]
	}
	return c.w.Write(p)
}
