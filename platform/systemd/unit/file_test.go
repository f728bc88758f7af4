package unit_test

import (
	"reflect"
	"testing"

	"github.com/gocfg/gocfg/platform/systemd/unit"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		text string
		want unit.File
	}{
		{
			name: "plain",
			text: "[Unit]\nDescription=Hello\n\n[Service]\nExecStart=/bin/hello\n",
			want: unit.File{
				"Unit":    {"Description": {"Hello"}},
				"Service": {"ExecStart": {"/bin/hello"}},
			},
		},
		{
			name: "comments, blank lines and whitespace",
			text: "# Managed by someone\n; another comment\n\n[Unit]\n  Description =   Hello world  \n# After=x\n\n\n[Service]\r\nExecStart=/bin/hello\r\n",
			want: unit.File{
				"Unit":    {"Description": {"Hello world"}},
				"Service": {"ExecStart": {"/bin/hello"}},
			},
		},
		{
			name: "values of one key in order, across other keys",
			text: "[Service]\nExecStartPre=/bin/a\nExecStart=/bin/x\nExecStartPre=/bin/b\n",
			want: unit.File{
				"Service": {"ExecStartPre": {"/bin/a", "/bin/b"}, "ExecStart": {"/bin/x"}},
			},
		},
		{
			name: "repeated sections merge",
			text: "[Unit]\nAfter=a\n[Service]\nExecStart=/bin/x\n[Unit]\nAfter=b\nWants=c\n",
			want: unit.File{
				"Unit":    {"After": {"a", "b"}, "Wants": {"c"}},
				"Service": {"ExecStart": {"/bin/x"}},
			},
		},
		{
			name: "empty assignment resets",
			text: "[Service]\nExecStartPre=/bin/a\nExecStartPre=\nExecStartPre=/bin/b\nUser=x\nUser=\nExecStart=/bin/x\n",
			want: unit.File{
				"Service": {"ExecStartPre": {"/bin/b"}, "ExecStart": {"/bin/x"}},
			},
		},
		{
			name: "empty sections are absent",
			text: "[Unit]\n[Service]\nExecStart=/bin/x\n[Install]\nWantedBy=\n",
			want: unit.File{
				"Service": {"ExecStart": {"/bin/x"}},
			},
		},
		{
			name: "continuation lines",
			text: "[Service]\nExecStart=/bin/echo a \\\n  b\n",
			want: unit.File{
				"Service": {"ExecStart": {"/bin/echo a    b"}},
			},
		},
		{
			name: "empty file",
			text: "",
			want: unit.File{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, text := range []string{
		"[Unit\nDescription=x\n",
		"[Unit] junk\nDescription=x\n",
		"[Service]\nExecStart\n=x\n",
	} {
		if f, err := unit.Parse([]byte(text)); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", text, f)
		}
	}
}
