package platform

import (
	"context"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"
)

// ch is a change for the order tests.
func ch(id string, a Action, deps ...string) Change {
	return Change{ID: id, Action: a, Deps: deps}
}

// afterFlip is c run after the flip (Change.AfterFlip).
func afterFlip(c Change) Change {
	c.AfterFlip = true
	return c
}

// afterDependents is c with Change.AfterDependents.
func afterDependents(c Change) Change {
	c.AfterDependents = true
	return c
}

func TestOrder(t *testing.T) {
	tests := []struct {
		name string
		in   []Change
		want []string
	}{
		{
			name: "empty",
			in:   nil,
			want: nil,
		},
		{
			name: "removals before creations and updates",
			in: []Change{
				ch("file:~alice/.a", Create),
				ch("file:~alice/.b", Delete),
				ch("file:~alice/.c", Update),
				ch("file:~alice/.d", Restore),
			},
			want: []string{"file:~alice/.b", "file:~alice/.d", "file:~alice/.a", "file:~alice/.c"},
		},
		{
			name: "a folder is created before its files",
			in: []Change{
				ch("file:~alice/.config/nvim/init.vim", Create, "dir:~alice/.config/nvim"),
				ch("dir:~alice/.config/nvim", Create, "dir:~alice/.config"),
				ch("dir:~alice/.config", Create, "dir:~alice"),
			},
			want: []string{"dir:~alice/.config", "dir:~alice/.config/nvim", "file:~alice/.config/nvim/init.vim"},
		},
		{
			name: "a dependency sorting after its dependent by ID still comes first",
			in: []Change{
				ch("a", Create, "z"),
				ch("z", Create),
			},
			want: []string{"z", "a"},
		},
		{
			name: "files are removed before their folder, deepest first",
			in: []Change{
				ch("dir:~alice/.config", Delete, "dir:~alice"),
				ch("dir:~alice/.config/nvim", Delete, "dir:~alice/.config"),
				ch("file:~alice/.config/nvim/init.vim", Delete, "dir:~alice/.config/nvim"),
				ch("file:~alice/.config/nvim/lua", Restore, "dir:~alice/.config/nvim"),
			},
			want: []string{"file:~alice/.config/nvim/init.vim", "file:~alice/.config/nvim/lua", "dir:~alice/.config/nvim", "dir:~alice/.config"},
		},
		{
			name: "a file replacing a removed folder: removal first, whatever the deps",
			in: []Change{
				ch("file:~alice/.config/nvim", Create, "dir:~alice/.config"),
				ch("dir:~alice/.config/nvim", Delete, "dir:~alice/.config"),
				ch("file:~alice/.config/nvim/init.vim", Delete, "dir:~alice/.config/nvim"),
			},
			want: []string{"file:~alice/.config/nvim/init.vim", "dir:~alice/.config/nvim", "file:~alice/.config/nvim"},
		},
		{
			name: "ties keep ID order",
			in: []Change{
				ch("file:~alice/.zshrc", Create),
				ch("file:/etc/motd", Update),
				ch("file:~alice/.bashrc", Create),
				ch("file:~bob/.profile", Create),
				ch("file:/etc/hosts", Delete),
				ch("file:/etc/aliases", Delete),
			},
			want: []string{"file:/etc/aliases", "file:/etc/hosts", "file:/etc/motd", "file:~alice/.bashrc", "file:~alice/.zshrc", "file:~bob/.profile"},
		},
		{
			name: "an account is deleted after the jobs and the lingering that need her, and her groups after her",
			in: []Change{
				afterDependents(ch("user:lena", Delete, "group:lenateam", "group:sudo")),
				ch("group:lenateam", Delete),
				ch("group:other", Delete),
				afterFlip(ch("units:user:lena:jobs", Update, "user:lena")),
				afterFlip(ch("linger:lena", Restore, "user:lena", "units:user:lena:jobs")),
				ch("file:~lena/.config/systemd/user/tick.service", Delete, "user:lena"),
				ch("file:/etc/motd", Create),
			},
			want: []string{"file:~lena/.config/systemd/user/tick.service", "group:other", "file:/etc/motd", "units:user:lena:jobs", "linger:lena", "user:lena", "group:lenateam"},
		},
		{
			name: "a creation depending on such a removal also sends it last",
			in: []Change{
				afterDependents(ch("user:lena", Delete)),
				ch("file:/etc/motd", Create, "user:lena"),
			},
			want: []string{"file:/etc/motd", "user:lena"},
		},
		{
			name: "such a removal that only removals depend on stays with them",
			in: []Change{
				afterDependents(ch("user:bob", Delete, "group:bob")),
				ch("group:bob", Delete),
				ch("file:~bob/.profile", Delete, "user:bob"),
				ch("file:/etc/motd", Create),
				afterFlip(ch("units:system:jobs", Update)),
			},
			want: []string{"file:~bob/.profile", "user:bob", "group:bob", "file:/etc/motd", "units:system:jobs"},
		},
		{
			name: "a removal without AfterDependents is not sent last",
			in: []Change{
				ch("user:lena", Delete),
				afterFlip(ch("linger:lena", Restore, "user:lena")),
			},
			want: []string{"user:lena", "linger:lena"},
		},
		{
			name: "deps outside the plan, on itself, or across removals and creations are ignored",
			in: []Change{
				ch("b", Create, "nowhere", "b", "r"),
				ch("a", Create, "elsewhere"),
				ch("r", Delete, "b"),
			},
			want: []string{"r", "a", "b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			got, err := order(in)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("order = %q\nwant    %q", ids, tt.want)
			}
			// Stable: the same input in another order gives the same plan.
			rev := slices.Clone(tt.in)
			slices.Reverse(rev)
			again, err := order(rev)
			if err != nil {
				t.Fatal(err)
			}
			for i := range again {
				if again[i].ID != got[i].ID {
					t.Errorf("reversed input: order[%d] = %q, want %q", i, again[i].ID, got[i].ID)
				}
			}
		})
	}
}

func TestOrderKeepsEveryField(t *testing.T) {
	in := []Change{{ID: "b", Kind: "file", Action: Update, Before: "x", After: "y", Drift: "d", Note: "n", Deps: []string{"a"}, Hooks: []Hook{{ID: "b", Script: "true"}}}}
	got, err := order(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != "file" || got[0].Before != "x" || got[0].After != "y" || got[0].Drift != "d" || got[0].Note != "n" || len(got[0].Hooks) != 1 {
		t.Errorf("order changed the change: %+v", got)
	}
}

func TestOrderCycle(t *testing.T) {
	tests := []struct {
		name string
		in   []Change
		want []string // IDs the error names
		not  []string // IDs it must not name
	}{
		{
			name: "two creations",
			in: []Change{
				ch("dir:~alice/a", Create, "dir:~alice/b"),
				ch("dir:~alice/b", Create, "dir:~alice/a"),
				ch("file:~alice/free", Create),
			},
			want: []string{"dir:~alice/a", "dir:~alice/b"},
			not:  []string{"file:~alice/free"},
		},
		{
			name: "three removals",
			in: []Change{
				ch("x", Delete, "y"),
				ch("y", Delete, "z"),
				ch("z", Restore, "x"),
			},
			want: []string{"x", "y", "z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := order(tt.in)
			if err == nil {
				t.Fatal("order accepted a dependency cycle")
			}
			msg := err.Error()
			if !strings.Contains(msg, "cycle") {
				t.Errorf("error %q does not say it is a cycle", msg)
			}
			for _, id := range tt.want {
				if !strings.Contains(msg, id) {
					t.Errorf("error %q does not name %s", msg, id)
				}
			}
			for _, id := range tt.not {
				if strings.Contains(msg, id) {
					t.Errorf("error %q names %s, which is not in the cycle", msg, id)
				}
			}
		})
	}
}

func TestMakePlanOrdersAndMerges(t *testing.T) {
	p, err := MakePlan(t.Context(), Applied{}, stubProvider{name: "one", part: &Part{
		Changes:  []Change{ch("file:~alice/.config/x", Create, "dir:~alice/.config"), ch("dir:~alice/.config", Create), ch("file:~alice/.old", Delete)},
		Warnings: []string{"w"}, Notes: []string{"n"}, Records: "recs",
	}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range p.Changes {
		ids = append(ids, c.ID)
	}
	want := []string{"file:~alice/.old", "dir:~alice/.config", "file:~alice/.config/x"}
	if !slices.Equal(ids, want) {
		t.Errorf("changes = %q, want %q", ids, want)
	}
	if p.Records["one"] != "recs" || len(p.Warnings) != 1 || len(p.Notes) != 1 {
		t.Errorf("plan = %+v", p)
	}
	if s := p.Summary(); s.Add != 2 || s.Remove != 1 || s.Change != 0 {
		t.Errorf("summary = %+v", s)
	}
	if _, err := MakePlan(t.Context(), Applied{}, stubProvider{name: "one", part: &Part{Changes: []Change{ch("a", Create, "b"), ch("b", Create, "a")}}}); err == nil {
		t.Error("MakePlan accepted a cycle")
	}
}

// stubProvider returns a fixed part.
type stubProvider struct {
	name string
	part *Part
}

func (s stubProvider) Name() string { return s.name }

func (s stubProvider) Plan(context.Context, json.RawMessage) (*Part, error) { return s.part, nil }

// TestUnknownDeps: a dependency on no change of the plan is unknown
// unless OptionalDeps declares it, by prefix or whole ID.
func TestUnknownDeps(t *testing.T) {
	cs := []Change{
		ch("dir:~alice/.config", Create, "user:alice"),
		ch("file:~alice/.config/a", Create, "user:alice", "dir:~alice/.config", "dir:~alice/.config"),
		ch("unit:a.service", Create, "packages:install", "group:wheel", "file:/etc/a.conf"),
		ch("units:system:jobs", Update, "unit:a.service", "unit:b.service", "packages:instal", "usr:bob", "packages:taps-add"),
	}
	got := UnknownDeps(cs)
	want := []string{"units:system:jobs -> packages:instal", "units:system:jobs -> unit:b.service", "units:system:jobs -> usr:bob"}
	if !slices.Equal(got, want) {
		t.Errorf("UnknownDeps = %q, want %q", got, want)
	}
	if got := UnknownDeps(cs[:3]); got != nil {
		t.Errorf("UnknownDeps of known and optional dependencies = %q, want none", got)
	}
}

// TestMakePlanUnknownDep: in tests, MakePlan fails on an unknown
// dependency, which order alone ignores.
func TestMakePlanUnknownDep(t *testing.T) {
	cs := []Change{ch("unit:a.service", Create, "unit:typo.service")}
	if _, err := order(cs); err != nil {
		t.Fatalf("order: %v, want the unknown dependency ignored", err)
	}
	_, err := MakePlan(context.Background(), nil, stubProvider{"units", &Part{Changes: cs}})
	if err == nil || !strings.Contains(err.Error(), "unit:a.service -> unit:typo.service") {
		t.Errorf("MakePlan: %v, want an error naming the unknown dependency", err)
	}
}
