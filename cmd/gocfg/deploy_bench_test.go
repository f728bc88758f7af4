package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkDeployFleet deploys a fleet of 10 hosts like this machine
// (the fake fleet: the evaluations, checks and bundles are real; the
// hosts find nothing to change) whose shared module computes a sum of
// 30,000 numbers: the first deploy (an empty evaluation cache), one of
// the unchanged fleet, and one with --no-cache.
func BenchmarkDeployFleet(b *testing.B) {
	dir := b.TempDir()
	files := map[string]string{
		"common.hcl": `locals {
  sum = sum(flatten([for i in range(1000) : [for j in range(30) : i * j]]))
}
environment {
  etc "issue" { text = "${host.name}: ${local.sum}\n" }
}
`,
	}
	for i := range 10 {
		files[fmt.Sprintf("hosts/h%d.hcl", i)] = "imports = [\"../common.hcl\"]\ndeployment { tags = [\"all\"] }\n"
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	deployOnce := func(b *testing.B, cache string, noCache bool) {
		var out bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &out, WorkDir: dir, User: "alice", Home: dir,
			OS: "linux", Arch: "amd64", Distro: "debian", EUID: 0, PID: os.Getpid(), Now: time.Now, Getenv: cacheGetenv(cache)}
		fleet := &fakeFleet{uname: "Linux x86_64\nID=debian\n", bundles: map[string]map[string]string{}}
		opts := &deployOptions{Env: env, Parallel: 2, transport: fleet, executable: os.Executable}
		opts.Config.Config, opts.Config.NoCache = dir, noCache
		if err := runDeploy(context.Background(), opts); err != nil {
			b.Fatalf("%v\n%s", err, &out)
		}
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			deployOnce(b, b.TempDir(), false)
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		cache := b.TempDir()
		deployOnce(b, cache, false)
		for b.Loop() {
			deployOnce(b, cache, false)
		}
	})
	b.Run("no-cache", func(b *testing.B) {
		for b.Loop() {
			deployOnce(b, b.TempDir(), true)
		}
	})
}
