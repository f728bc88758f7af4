package providertest

import "testing"

func TestEncode(t *testing.T) {
	type records struct {
		Names []string `json:"names"`
	}
	var none *records
	for _, r := range []any{nil, none} {
		if got := Encode(t, r); got != nil {
			t.Errorf("Encode(%#v) = %s, want nil: no records", r, got)
		}
	}
	if got := string(Encode(t, &records{Names: []string{"a"}})); got != `{"names":["a"]}` {
		t.Errorf("Encode = %s", got)
	}
}
