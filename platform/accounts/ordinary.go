package accounts

import (
	"strconv"
	"sync"

	"github.com/gocfg/gocfg/platform/system"
)

// overflowUID is nobody's uid (the kernel's overflow uid), and
// dynamicUIDs systemd's range for DynamicUser= accounts: accounts no
// ordinary user's processes run as, whatever login.defs says.
const overflowUID = 65534

var dynamicUIDs = [2]int{61184, 65519}

// LoginAccount reports whether user (a name or a uid) is an account
// people log in as, whose processes an ordinary user may stop: a uid in
// login.defs' range of ordinary users (UID_MIN and up; 1000 on Debian;
// no upper bound, as directory accounts may lie above UID_MAX), not a
// service's account such as postgres, nor nobody, nor one of systemd's
// dynamic accounts. An account unknown to db (nil: none read) counts as
// one: the bound it leads to is the safe side.
func LoginAccount(db *Database, defs LoginDefs) func(user string) bool {
	return func(user string) bool {
		uid, err := strconv.Atoi(user)
		if err != nil {
			a, ok := Account{}, false
			if db != nil {
				a, ok = db.User(user)
			}
			if !ok {
				return true
			}
			uid = a.UID
		}
		return uid >= defs.UIDMin && uid != overflowUID && (uid < dynamicUIDs[0] || uid > dynamicUIDs[1])
	}
}

// Ordinary is, for the account-wait watch of the system manager's jobs
// (system.WatchAccountWaits, system.Real.SetAccountWatch), whether a unit
// runs as an ordinary account, as LoginAccount says, from sys's accounts
// (read once, when first asked). A dynamic user (DynamicUser=) whose name
// no account has is one systemd allocates, in its own range: no
// ordinary user's.
func Ordinary(sys system.System) system.AccountOf {
	var (
		once  sync.Once
		db    *Database
		login func(string) bool
	)
	return func(user string, dynamic bool) bool {
		once.Do(func() {
			var err error
			if db, err = Read(sys); err != nil {
				db = nil
			}
			defs, err := ReadLoginDefs(sys)
			if err != nil {
				defs = DefaultLoginDefs
			}
			login = LoginAccount(db, defs)
		})
		if _, err := strconv.Atoi(user); err != nil && dynamic && db != nil {
			if _, ok := db.User(user); !ok {
				return false
			}
		}
		return login(user)
	}
}
