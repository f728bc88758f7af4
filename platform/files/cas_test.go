package files

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentEditsAreNeverLost: a program appends to managed copies at
// random moments while switches run that replace them (the configured
// content alternates) or adopt them: every line it appended is still in
// some file of the home at the end — in the copy, or in a file gocfg set
// aside and kept. Switches that find their path changed since the plan
// stop and are undone; that is expected. The loop is bounded (switches
// and time).
func TestConcurrentEditsAreNeverLost(t *testing.T) {
	fx := newFixture(t)
	files := []string{".a", ".b", ".config/c"}
	cfg := func(v int) *Config {
		hf := map[string]HomeFile{}
		for _, f := range files {
			hf[f] = copyText(fmt.Sprintf("%s v%d\n", f, v))
		}
		return home(hf)
	}
	fx.switchTo(cfg(0))

	var (
		mu      sync.Mutex
		written []string
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			rel := files[i%len(files)]
			line := fmt.Sprintf("edit %d of %s\n", i, rel)
			f, err := os.OpenFile(fx.Host("/home/alice/"+rel), os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				continue // moved aside this moment
			}
			if _, err := f.WriteString(line); err == nil {
				mu.Lock()
				written = append(written, line)
				mu.Unlock()
			}
			_ = f.Close()
			time.Sleep(time.Duration(i%7) * 50 * time.Microsecond)
		}
	})
	deadline := time.Now().Add(2 * time.Second)
	switches, undone := 0, 0
	for v := 1; v <= 300 && time.Now().Before(deadline); v++ {
		p, l, err := fx.plan(cfg(v))
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Conflicts) > 0 {
			// An edit the plan saw: take it as the configured content
			// from now on is not the point here; put gocfg's back by
			// moving the edited file out of the way (kept for the
			// check) and go on.
			for _, c := range p.Conflicts {
				_ = os.Rename(fx.Host(c.Path), fx.Host(c.Path)+fmt.Sprintf(".kept-%d", v))
			}
			continue
		}
		switches++
		if err := fx.applyErr(p, l.Current, l.To); err != nil {
			undone++
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d switches applied or undone (%d undone), %d edits made", switches, undone, len(written))
	if switches == 0 || len(written) == 0 {
		t.Fatal("the loop did nothing")
	}

	// Every edit is in some file of the home.
	var all strings.Builder
	err := filepath.Walk(fx.Host("/home/alice"), func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		all.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, line := range written {
		if !strings.Contains(all.String(), line) {
			lost++
			if lost <= 5 {
				t.Errorf("lost: %q", line)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d edits lost", lost, len(written))
	}
}
