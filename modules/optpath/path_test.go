package optpath

import (
	"reflect"
	"strconv"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Path
		err  bool
	}{
		{"", Path{}, false},
		{"networking.host_name", Path{"networking", "host_name"}, false},
		{`macos.defaults."com.apple.dock".autohide`, Path{"macos", "defaults", "com.apple.dock", "autohide"}, false},
		{`"a\"b"`, Path{`a"b`}, false},
		{"a..b", nil, true},
		{"a.", nil, true},
		{`a."b`, nil, true},
		{`a"b`, nil, true},
		{`"a"b`, nil, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("Parse(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if !tt.err && !reflect.DeepEqual(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, p := range []Path{
		{"networking", "host_name"},
		{"macos", "defaults", "com.apple.dock", "autohide-delay"},
		{"environment", "etc", "pam.d/sudo_local", "text"},
		{"users", "<name>", "shell"},
		{"x", "9lives"},
	} {
		s := p.String()
		back, err := Parse(s)
		if err != nil || !reflect.DeepEqual(back, p) {
			t.Errorf("round trip %#v -> %q -> %#v, %v", p, s, back, err)
		}
	}
	if got := (Path{"macos", "defaults", "com.apple.dock"}).String(); got != `macos.defaults."com.apple.dock"` {
		t.Errorf("String = %s", got)
	}
}

// TestIndex: a list element's segment prints as [i] after its list's
// path, with no dot, and keys as the plain number (the key the JSON
// writer and Unset use for an element).
func TestIndex(t *testing.T) {
	p := Path{"services", "nginx", "virtual_hosts", "a.b", "listen", Index(0), "port", Index(12)}
	if got, want := p.String(), `services.nginx.virtual_hosts."a.b".listen[0].port[12]`; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	if got, want := p.Key(), "services\x00nginx\x00virtual_hosts\x00a.b\x00listen\x000\x00port\x0012"; got != want {
		t.Errorf("Key = %q, want %q", got, want)
	}
	if i, ok := IndexOf(Index(7)); !ok || i != 7 {
		t.Errorf("IndexOf(Index(7)) = %d, %v", i, ok)
	}
	if _, ok := IndexOf("7"); ok {
		t.Error(`IndexOf("7"): a key "7" is not an index`)
	}
	if got, want := (Path{"x", "7"}).String(), `x."7"`; got != want {
		t.Errorf("String = %s, want %s (a key, quoted)", got, want)
	}
}

// TestIndexSmall: the indexes taken from the constant are the ones made
// by hand.
func TestIndexSmall(t *testing.T) {
	for i := range 120 {
		if got, want := Index(i), indexMark+strconv.Itoa(i); got != want {
			t.Errorf("Index(%d) = %q, want %q", i, got, want)
		}
	}
}
