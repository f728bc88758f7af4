package managed

import "testing"

func TestDecide(t *testing.T) {
	for _, c := range []struct {
		name string
		in   Input
		want Decision
	}{
		{"new", Input{Wanted: true}, Decision{Action: Create}},
		{"removed by hand", Input{Wanted: true, Applied: true}, Decision{Action: Create, Why: RemovedByHand}},
		{"kept", Input{Wanted: true, Applied: true, Live: Desired}, Decision{Action: Keep}},
		{"adopted", Input{Wanted: true, Live: Desired}, Decision{Action: Adopt}},
		{"ours", Input{Wanted: true, Applied: true, Live: Ours}, Decision{Action: Update}},
		{"same content", Input{Wanted: true, Live: SameContent}, Decision{Action: Adopt, Replace: true}},
		{"same content, edited", Input{Wanted: true, Applied: true, Live: SameContent}, Decision{Action: Adopt, Replace: true, Why: ChangedByHand}},
		{"in the way", Input{Wanted: true, Live: Other}, Decision{Action: Conflict, Why: InTheWay, Remedies: MoveAway}},
		{"ours unrecorded is in the way", Input{Wanted: true, Live: Ours}, Decision{Action: Conflict, Why: InTheWay, Remedies: MoveAway}},
		{"edited", Input{Wanted: true, Applied: true, Live: Other, CanBackup: true, CanForce: true},
			Decision{Action: Conflict, Why: ChangedByHand, Remedies: MoveAway | BackupExt | ForceIt}},
		{"forced", Input{Wanted: true, Live: Other, Force: true, BackupExt: true}, Decision{Action: Force, Why: InTheWay}},
		{"backup", Input{Wanted: true, Applied: true, Live: Other, BackupExt: true}, Decision{Action: Backup, Why: ChangedByHand}},
		{"backup taken", Input{Wanted: true, Live: Other, BackupExt: true, BackupTaken: true}, Decision{Action: Conflict, Why: BackupTaken, Remedies: OtherBackup}},
		{"remove", Input{Applied: true, Live: Ours}, Decision{Action: Remove}},
		{"gone", Input{Applied: true}, Decision{Action: Gone, Why: RemovedByHand}},
		{"forget", Input{Applied: true, Live: Other}, Decision{Action: Forget, Why: ChangedByHand}},
	} {
		if got := Decide(c.in); got != c.want {
			t.Errorf("%s: Decide(%+v) = %+v, want %+v", c.name, c.in, got, c.want)
		}
	}
}

func TestOfContent(t *testing.T) {
	for _, c := range []struct {
		there, desired, applied bool
		want                    Live
	}{
		{false, false, false, Absent},
		{true, true, true, Desired},
		{true, true, false, Desired},
		{true, false, true, Ours},
		{true, false, false, Other},
	} {
		if got := OfContent(c.there, c.desired, c.applied); got != c.want {
			t.Errorf("OfContent(%t, %t, %t) = %d, want %d", c.there, c.desired, c.applied, got, c.want)
		}
	}
}
