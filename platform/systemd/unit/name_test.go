package unit_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

func TestServiceAndTimerName(t *testing.T) {
	tests := []struct {
		key, service, timer string
	}{
		{"nginx", "nginx.service", "nginx.timer"},
		{"nginx.service", "nginx.service", "nginx.service"},
		{"backup.timer", "backup.timer", "backup.timer"},
		{"getty@", "getty@.service", "getty@.timer"},
		{"getty@tty1", "getty@tty1.service", "getty@tty1.timer"},
		{"foo.bar", "foo.bar.service", "foo.bar.timer"},
		{"my.socket", "my.socket", "my.socket"},
		{"", ".service", ".timer"},
	}
	for _, tt := range tests {
		if got := unit.ServiceName(tt.key); got != tt.service {
			t.Errorf("ServiceName(%q) = %q, want %q", tt.key, got, tt.service)
		}
		if got := unit.TimerName(tt.key); got != tt.timer {
			t.Errorf("TimerName(%q) = %q, want %q", tt.key, got, tt.timer)
		}
	}
}

func TestCheckName(t *testing.T) {
	valid := []string{
		"nginx.service", "backup.timer", "getty@.service", "getty@tty1.service",
		"dev-disk-by\\x2dlabel-root.device", "a:b_c-d.e.service", "x.socket",
		"-.mount", "user@1000.service", strings.Repeat("a", 255-len(".service")) + ".service",
	}
	for _, name := range valid {
		if err := unit.CheckName(name); err != nil {
			t.Errorf("CheckName(%q) = %v", name, err)
		}
	}
	invalid := []string{
		"", "nginx", ".service", "@.service", "@x.service", "a/b.service",
		"a b.service", "a\n.service", "é.service", "nginx.servic",
		strings.Repeat("a", 256-len(".service")) + ".service",
	}
	for _, name := range invalid {
		err := unit.CheckName(name)
		if !errors.Is(err, unit.ErrName) {
			t.Errorf("CheckName(%q) = %v, want ErrName", name, err)
		}
	}
}

func TestServiceNameRenderRefusesOtherTypes(t *testing.T) {
	// A services key naming another type of unit is refused rather than
	// becoming "my.socket.service".
	_, err := unit.RenderService(unit.ServiceName("my.socket"), defaults())
	if !errors.Is(err, unit.ErrName) || !strings.Contains(err.Error(), `".service"`) {
		t.Errorf("error %v, want ErrName about .service", err)
	}
}

func TestCheckNameMessage(t *testing.T) {
	tests := map[string]string{
		"nginx":       `nginx: invalid unit name: it does not end in a unit type (.service, `,
		"a b.service": `"a b.service": invalid unit name: ' ' is not allowed in a unit name`,
		"":            `"": invalid unit name: it does not end in a unit type`,
		"a\n.service": `"a\n.service": invalid unit name: '\n' is not allowed`,
		"@x.service":  `@x.service: invalid unit name: nothing before the "@"`,
		".timer":      `.timer: invalid unit name: nothing before ".timer"`,
	}
	for name, want := range tests {
		err := unit.CheckName(name)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("CheckName(%q) = %v, want %s...", name, err, want)
		}
	}
}
