package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/deploy"
)

// TestAgentStatusErrorBounded (reviewer R16): a status keeps the last
// maxStatusError bytes of its error, cut at a character, so that its line
// stays one the deploying side reads (it takes one of over 1 MiB for
// none, and followed the host again and again).
func TestAgentStatusErrorBounded(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("é\x1b", 1<<20) + "the last line"
	if err := writeAgentStatus(dir, agentStatus{State: deploy.StateFailed, Error: long}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, deploy.AgentStatusFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 1<<20 {
		t.Errorf("the status is %d bytes", len(data))
	}
	st, ok, err := readAgentStatus(dir)
	if !ok || err != nil || !strings.HasSuffix(st.Error, "the last line") || !strings.HasPrefix(st.Error, "…") || len(st.Error) > maxStatusError+len("…") {
		t.Errorf("read back: ok %v, %v, error of %d bytes starting %.20q", ok, err, len(st.Error), st.Error)
	}
}
