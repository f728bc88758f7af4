package unit

import (
	"errors"
	"testing"
)

func TestRelativeProgram(t *testing.T) {
	for _, tt := range []struct {
		cmd  string
		want bool
	}{
		{"/usr/bin/hello --loud", false},
		{"hello --loud", false},
		{"-/usr/bin/hello", false},
		{"@/bin/sh sh -c true", false},
		{"!!/usr/bin/x", false},
		{`"/opt/my app/run" a`, false},
		{"relative/cmd", true},
		{"./run.sh", true},
		{"-bin/hello", true},
		{`"bin/my app" x`, true},
		{"  sub/dir/x\targ", true},
		{"", false},
		{`"unclosed`, false},
	} {
		if got := relativeProgram(tt.cmd); got != tt.want {
			t.Errorf("relativeProgram(%q) = %v, want %v", tt.cmd, got, tt.want)
		}
	}
}

func TestRenderServiceRelativeProgram(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, tt := range []struct {
		name string
		s    Service
		key  string
	}{
		{"exec_start", Service{ExecStart: str("relative/cmd")}, "ExecStart"},
		{"exec_start_pre", Service{ExecStart: str("/bin/true"), ExecStartPre: []string{"/bin/true", "bin/prep"}}, "ExecStartPre"},
		{"exec_reload", Service{ExecStart: str("/bin/true"), ExecReload: str("./reload")}, "ExecReload"},
	} {
		_, err := RenderService("x.service", tt.s)
		var ue *Error
		if !errors.As(err, &ue) || !errors.Is(err, ErrExecPath) || ue.Key != tt.key {
			t.Errorf("%s: %v, want ErrExecPath on %s", tt.name, err, tt.key)
		}
	}
	if _, err := RenderService("x.service", Service{ExecStart: str("hello"), ExecStartPre: []string{"/bin/true"}}); err != nil {
		t.Errorf("a bare name: %v", err)
	}
}
