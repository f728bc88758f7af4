package platform

import (
	"errors"
	"testing"
)

func TestAlreadySet(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name       string
		applied    *string
		setByGocfg bool
		want       *Change // nil: no change
	}{
		{"not managed: adopted", nil, false,
			&Change{ID: "x", Kind: "k", Action: Update, After: "b", Note: "already as desired: adopted"}},
		{"gocfg set another value", str("a"), false,
			&Change{ID: "x", Kind: "k", Action: Update, Before: "a", After: "b", Note: "already set on the machine"}},
		{"gocfg set this value: nothing", str("b"), true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			part := &Part{}
			AlreadySet(part, Change{ID: "x", Kind: "k", After: "b"}, tt.applied, tt.setByGocfg)
			switch {
			case tt.want == nil && len(part.Changes) != 0:
				t.Errorf("changes %+v, want none", part.Changes)
			case tt.want != nil && (len(part.Changes) != 1 || part.Changes[0].ID != tt.want.ID || part.Changes[0].Action != tt.want.Action ||
				part.Changes[0].Before != tt.want.Before || part.Changes[0].After != tt.want.After || part.Changes[0].Note != tt.want.Note):
				t.Errorf("changes %+v, want %+v", part.Changes, *tt.want)
			}
		})
	}
}

// TestHeldConflictOneLine (tester AX): several failures joined are one
// line of the warning, not a quoted Go string.
func TestHeldConflictOneLine(t *testing.T) {
	err := errors.Join(errors.New(`home.carol.age.secrets."netrc": no identity`), errors.New(`home.carol.age.secrets."tok": no identity`))
	c := HeldConflict("secret:~carol/", "/home/carol", err)
	if want := `home.carol.age.secrets."netrc": no identity; home.carol.age.secrets."tok": no identity`; c.Problem != want || Printable(c.Problem) != want {
		t.Errorf("problem %q, want %q", c.Problem, want)
	}
	// A newline of a failure's own stays one: shown escaped, never as
	// the seam between two failures.
	c = HeldConflict("file:~carol/", "/home/carol", errors.New("/home/carol/a\nb: in the way"))
	if c.Problem != "/home/carol/a\nb: in the way" || Printable(c.Problem) == c.Problem {
		t.Errorf("problem %q, shown %s", c.Problem, Printable(c.Problem))
	}
}
