package platform

import (
	"context"
	"errors"
	"slices"
	"testing"

	json "github.com/goccy/go-json"
)

// erringProvider fails with err (nil: a part with one change) and
// records that it was asked.
type erringProvider struct {
	name  string
	err   error
	asked *[]string
}

func (p erringProvider) Name() string { return p.name }

func (p erringProvider) Plan(context.Context, json.RawMessage) (*Part, error) {
	*p.asked = append(*p.asked, p.name)
	if p.err != nil {
		return nil, p.err
	}
	return &Part{Changes: []Change{ch(p.name+":x", Create)}}, nil
}

// erringReader is an erringProvider that reads the facts.
type erringReader struct{ erringProvider }

func (p erringReader) PlanWith(ctx context.Context, applied json.RawMessage, _ Facts) (*Part, error) {
	return p.Plan(ctx, applied)
}

// TestMakePlanEveryError: a provider's error does not stop the
// providers after it, so that every error is reported at once; the
// providers that read facts are not asked after an error (their facts
// may lack the failed provider's), and no plan is made.
func TestMakePlanEveryError(t *testing.T) {
	errUsers, errHost, errFiles := errors.New("users: bad shell"), errors.New("hostname: bad"), errors.New("files: bad target")
	tests := []struct {
		name      string
		providers func(asked *[]string) []Provider
		wantAsked []string
		wantErrs  []error
	}{
		{
			name: "none fails",
			providers: func(a *[]string) []Provider {
				return []Provider{erringProvider{"users", nil, a}, erringReader{erringProvider{"files", nil, a}}}
			},
			wantAsked: []string{"users", "files"},
		},
		{
			name: "two fail, a reader after them is not asked",
			providers: func(a *[]string) []Provider {
				return []Provider{
					erringProvider{"users", errUsers, a},
					erringProvider{"hostname", errHost, a},
					erringReader{erringProvider{"files", nil, a}},
					erringProvider{"defaults", nil, a},
				}
			},
			wantAsked: []string{"users", "hostname", "defaults"},
			wantErrs:  []error{errUsers, errHost},
		},
		{
			name: "a reader that fails, then others",
			providers: func(a *[]string) []Provider {
				return []Provider{
					erringProvider{"users", nil, a},
					erringReader{erringProvider{"files", errFiles, a}},
					erringReader{erringProvider{"systemd", nil, a}},
					erringProvider{"defaults", errHost, a},
				}
			},
			wantAsked: []string{"users", "files", "defaults"},
			wantErrs:  []error{errFiles, errHost},
		},
		{
			name: "one error is returned as it is",
			providers: func(a *[]string) []Provider {
				return []Provider{erringProvider{"users", errUsers, a}}
			},
			wantAsked: []string{"users"},
			wantErrs:  []error{errUsers},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			p, err := MakePlan(t.Context(), Applied{}, tt.providers(&asked)...)
			if !slices.Equal(asked, tt.wantAsked) {
				t.Errorf("asked %q, want %q", asked, tt.wantAsked)
			}
			if len(tt.wantErrs) == 0 {
				if err != nil || p == nil {
					t.Fatalf("MakePlan = %v, %v; want a plan", p, err)
				}
				return
			}
			if p != nil {
				t.Errorf("MakePlan made a plan despite %v", err)
			}
			if len(tt.wantErrs) == 1 && err != tt.wantErrs[0] {
				t.Errorf("error %v, want %v itself", err, tt.wantErrs[0])
			}
			for _, want := range tt.wantErrs {
				if !errors.Is(err, want) {
					t.Errorf("error %v, want it to hold %v", err, want)
				}
			}
		})
	}
}
