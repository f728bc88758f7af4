package deploy

import (
	"context"
	"errors"
	"io"
	"testing"
)

// TestDeployerCheckFails: a host whose configuration Check refuses fails
// without a connection.
func TestDeployerCheckFails(t *testing.T) {
	fh := &fakeHost{t: t, files: map[string][]byte{}}
	d := newDeployer(t, fh)
	errMissing := errors.New(`age.secrets."x".file: open /repo/x.age: no such file or directory`)
	d.Check = func(context.Context, Host, io.Writer) error { return errMissing }
	rs := d.Run(context.Background(), []Host{{Name: "web1", Target: "web1"}}, 1, 0, NewOutput(io.Discard))
	if r := rs[0]; r.Outcome != Failed || r.Why != "evaluating its configuration: "+errMissing.Error() {
		t.Errorf("%+v", r)
	}
	if len(fh.cmds) != 0 {
		t.Errorf("commands run: %q", fh.cmds)
	}
}
