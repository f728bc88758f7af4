package e2e

import (
	"strings"
	"testing"
	"time"
)

// optionsWebConfig turns on services.nginx with one virtual host,
// site.test, served from /srv/site, with a /health location answered by
// nginx itself; extra is added to the server block.
func optionsWebConfig(extra string) string {
	return `services {
  nginx {
    enable = true
    virtual_hosts "site" {
      server_names = ["site.test"]
      root         = "/srv/site"
      extra_config = <<-NGINX
        index index.html;
        ` + extra + `
      NGINX
      locations "= /health" { return = "200 \"healthy\"" }
    }
  }
}
`
}

// TestOptionsWeb: services.nginx in a booted Debian container. A switch
// on a machine without nginx installs it (from the local repository),
// writes /etc/nginx/conf.d/gocfg-site.conf, and nginx.service runs and
// is enabled: an HTTP request on loopback for site.test gets the
// virtual host's page and its /health answer, another host name gets
// Debian's default page. A second switch changes nothing; a changed
// virtual host reloads nginx (same main PID); a directive nginx refuses
// fails the plan (nginx -t) and the file stays as it was, with no
// check folder left in /tmp. The option removed takes away the file and
// the package gocfg installed. Then, on a machine where nginx was
// installed by hand, stopped and disabled, the option starts and
// enables it, and removing it puts nginx back stopped and disabled,
// still installed.
func TestOptionsWeb(t *testing.T) {
	t.Parallel()
	m := boot(t, "e2e-options-web")
	m.UseLocalDebs(t)
	if m.exists(t, "/usr/sbin/nginx") {
		t.Fatal("the container has nginx before the switch; the test needs the switch to install it")
	}
	m.MustExec(t, "mkdir", "-p", "/srv/site")
	m.WriteFile(t, "/srv/site/index.html", []byte("hello from the gocfg site\n"), 0o644)
	const conf = "/etc/nginx/conf.d/gocfg-site.conf"

	// get sends GET path with Host: host to 127.0.0.1:80 (bash's
	// /dev/tcp: the container has no curl) and returns the whole answer.
	get := func(t *testing.T, host, path string) result {
		t.Helper()
		return m.run(t, "timeout", "5", "bash", "-c",
			`exec 3<>/dev/tcp/127.0.0.1/80 && printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$0" >&3 && cat <&3`, host, path)
	}
	// wantPage waits up to 5 s for the answer to have all of want:
	// systemctl reload nginx only signals the master process, which
	// starts workers with the new configuration a moment later while the
	// old ones finish.
	wantPage := func(t *testing.T, host, path string, want ...string) {
		t.Helper()
		var r result
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			r = get(t, host, path)
			if r.code == 0 && containsAll(r.out, want) || time.Now().After(deadline) {
				break
			}
		}
		if r.code != 0 {
			t.Fatalf("GET http://%s%s: %v", host, path, r)
		}
		wantContains(t, "GET http://"+host+path, r.out, want...)
	}
	state := func(t *testing.T) string {
		t.Helper()
		return m.out(t, "systemctl", "is-active", "nginx.service") + " " + m.out(t, "systemctl", "is-enabled", "nginx.service")
	}
	noHookFailed := func(t *testing.T, out string) {
		t.Helper()
		if strings.Contains(out, "on_change") {
			t.Errorf("an on_change hook failed:\n%s", out)
		}
	}

	t.Run("switched on", func(t *testing.T) {
		out := m.switchTo(t, optionsWebConfig(""))
		t.Logf("the first switch:\n%s", out)
		wantContains(t, "the switch", out, "nginx", "file:"+conf, "unitstate:nginx.service")
		noHookFailed(t, out)
		wantEqual(t, "the virtual host's file", m.read(t, conf),
			"# Written by gocfg (services.nginx.virtual_hosts.\"site\"); replaced by every switch.\nserver {\n    listen 80;\n    listen [::]:80;\n    server_name site.test;\n    root /srv/site;\n    index index.html;\n\n    location = /health {\n        return 200 \"healthy\";\n    }\n}\n")
		wantEqual(t, "nginx.service", state(t), "active enabled")
		wantPage(t, "site.test", "/", "HTTP/1.1 200 OK", "\r\n\r\nhello from the gocfg site\n")
		wantPage(t, "site.test", "/health", "HTTP/1.1 200 OK", "\r\n\r\nhealthy")
		wantPage(t, "other.test", "/", "HTTP/1.1 200 OK", "Welcome to nginx!")
		// Over IPv6 too (tester W: the virtual host listened on IPv4
		// only, and [::1] got Debian's default page).
		r := m.run(t, "timeout", "5", "bash", "-c", `exec 3<>/dev/tcp/::1/80 && printf 'GET / HTTP/1.0\r\nHost: site.test\r\n\r\n' >&3 && cat <&3`)
		wantContains(t, "GET http://site.test/ on [::1]", r.out, "hello from the gocfg site")

		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("a changed virtual host reloads nginx", func(t *testing.T) {
		pid := m.show(t, "nginx.service", "MainPID")
		out := m.switchTo(t, optionsWebConfig(`add_header X-Gocfg "switched";`))
		noHookFailed(t, out)
		wantPage(t, "site.test", "/", "\r\nX-Gocfg: switched\r\n", "hello from the gocfg site")
		wantEqual(t, "nginx.service's main PID (a reload keeps it)", m.show(t, "nginx.service", "MainPID"), pid)
	})

	t.Run("a directive nginx refuses fails the plan", func(t *testing.T) {
		before := m.read(t, conf)
		r := m.trySwitch(t, optionsWebConfig("no_such_directive on;"))
		if r.code != 1 {
			t.Fatalf("switch with a bad directive: %v", r)
		}
		wantContains(t, "the error", r.out, `environment.etc."nginx/conf.d/gocfg-site.conf"`, "fails its check", `unknown directive "no_such_directive"`)
		wantEqual(t, "the virtual host's file after the refused switch", m.read(t, conf), before)
		if left := m.out(t, "sh", "-c", "ls -d /tmp/gocfg-nginx-check.* 2>/dev/null; true"); left != "" {
			t.Errorf("the check left its folder behind: %s", left)
		}
		wantPage(t, "site.test", "/", "X-Gocfg: switched", "hello from the gocfg site")
	})

	// Tester W: the switch that installed nginx made conf.d for the
	// virtual host first; removing the last virtual host removed the
	// folder, which nginx-common ships.
	t.Run("last virtual host removed: the package's conf.d stays", func(t *testing.T) {
		out := m.switchTo(t, "services {\n  nginx {\n    enable = true\n  }\n}\n")
		noHookFailed(t, out)
		if strings.Contains(out, "- dir:/etc/nginx/conf.d") {
			t.Errorf("the switch removes /etc/nginx/conf.d:\n%s", out)
		}
		wantContains(t, "the switch", out, "/etc/nginx/conf.d is left: the package nginx-common owns it")
		if m.exists(t, conf) || !m.exists(t, "/etc/nginx/conf.d") {
			t.Errorf("want %s gone and /etc/nginx/conf.d there", conf)
		}
		if r := m.run(t, "dpkg", "-V", "nginx-common"); strings.Contains(r.out, "conf.d") {
			t.Errorf("dpkg -V nginx-common: %s", r.out)
		}
	})

	t.Run("option removed: file and package gone", func(t *testing.T) {
		out := m.switchTo(t, "")
		noHookFailed(t, out)
		for _, gone := range []string{conf, "/usr/sbin/nginx"} {
			if m.exists(t, gone) {
				t.Errorf("%s is still there", gone)
			}
		}
		if r := get(t, "site.test", "/"); r.code == 0 {
			t.Errorf("port 80 still answers: %v", r)
		}
		out = m.mustGocfg(t, "switch", "-c", cfgDir)
		wantContains(t, "the second switch", out, noChanges)
	})

	t.Run("nginx installed by hand, stopped and disabled: put back so", func(t *testing.T) {
		m.MustExec(t, "apt-get", "install", "-y", "-q", "nginx")
		m.MustExec(t, "systemctl", "disable", "--now", "-q", "nginx.service")
		wantEqual(t, "nginx.service before", state(t), "inactive disabled")

		out := m.switchTo(t, optionsWebConfig(""))
		noHookFailed(t, out)
		wantEqual(t, "nginx.service switched on", state(t), "active enabled")
		wantPage(t, "site.test", "/", "hello from the gocfg site")

		out = m.switchTo(t, "")
		noHookFailed(t, out)
		wantEqual(t, "nginx.service after the option went", state(t), "inactive disabled")
		if m.exists(t, conf) {
			t.Errorf("%s is still there", conf)
		}
		if !m.exists(t, "/usr/sbin/nginx") {
			t.Error("nginx, installed before gocfg, was removed")
		}
	})
}

// containsAll reports whether s has every one of subs.
func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
