package deploy

import (
	"strconv"
	"strings"
)

// wayCheck defines the shell function gocfg_way BIN, which the login
// user runs on the host before root runs anything from the deploy folder
// (remoteDir): it makes the folder (umask 077), then checks every folder
// from / to it, links resolved (cd -P), and the binary BIN itself if
// there is one.
//
// Root runs BIN through sudo, and writes the deploy's folders below
// remoteDir. Tester AP: with ~/.cache a link to a folder in /tmp that
// another user had made first, she put her own program in place of
// gocfg-<hash>, which root then ran; and during deploy-agent --receive
// she swapped a folder for a link, so that root's chmod of an extracted
// file made a root-only file of /etc readable. So, as gocfg's trust rule
// has it (docs/design.md, the privilege boundary): each folder on the
// way and the binary must be the login user's or root's, and no one else
// may write them. A folder others may write is allowed only when it is
// sticky (as /tmp) and not the deploy folder itself: there no one else
// may rename or remove what is the login user's. A folder the login
// user's private group may write (umask 002) counts as hers when the
// name service (getent) says that group is named as her and has no
// other member, and the local files agree: no other group of that gid,
// no other member, no other account with it as its primary group (as
// gocfg's own rule, reviewer R11); without getent it counts as shared. On Linux an ACL
// (ls's "+") can grant write only within the group bits (its mask), so
// a folder with an ACL whose group bits allow writing is refused. macOS
// ACLs are not bounded by the mode (docs/design.md lists that gap for
// gocfg's own trust checks too).
//
// It prints the checked folder's path (wayFolderPrefix), links
// resolved, for every later command to use instead of BIN's: a link on
// the way, even one the check followed to folders of the login user's,
// may be another user's to point elsewhere after it (reviewer R11).
//
// Exit status: 0 when BIN is there and safe to run; 1 when it is not
// there (or is no regular file: the upload replaces it); 3, with a
// "gocfg: error: " line on stderr, when the way or BIN is not safe. The
// script is POSIX sh with ls -ldn (Linux, BSD and macOS have it).
const wayCheck = `gocfg_way_bad() {
	echo "gocfg: error: $1: $2; root would run gocfg from below it (make it yours or root's, writable only by you: chown, chmod go-w; or remove the link to it)" >&2
	exit 3
}
gocfg_way_private() {
	[ "$1" = "$gocfg_me" ] && [ "$2" = "$(id -g)" ] || return 1
	gocfg_n=$(id -un) || return 1
	awk -F: -v g="$2" -v n="$gocfg_n" '
		FILENAME == "/etc/group" && $3 == g {
			if ($1 != n) bad = 1
			m = split($4, a, ",")
			for (i = 1; i <= m; i++) if (a[i] != "" && a[i] != n) bad = 1
		}
		FILENAME == "/etc/passwd" && $4 == g && $1 != n { bad = 1 }
		END { exit bad }' /etc/group /etc/passwd || return 1
	gocfg_g=$(getent group "$2" 2>/dev/null) || return 1
	case $gocfg_g in
	"$gocfg_n:"*":$2:" | "$gocfg_n:"*":$2:$gocfg_n") return 0 ;;
	esac
	return 1
}
gocfg_way_look() {
	gocfg_l=$(LC_ALL=C ls -ldn -- "$1") || gocfg_way_bad "$1" "cannot look at it"
	set -f
	set -- "$1" "$2" $gocfg_l
	set +f
	case $5 in
	0 | "$gocfg_me") ;;
	*) gocfg_way_bad "$1" "it is owned by uid $5" ;;
	esac
	gocfg_ow= gocfg_gw= gocfg_st=
	case $3 in ????????w*) gocfg_ow=1 ;; esac
	case $3 in ?????w*) gocfg_gw=1 ;; esac
	case $3 in ?????????[tT]*) gocfg_st=1 ;; esac
	[ -n "$gocfg_ow$gocfg_gw" ] || return 0
	[ -n "$gocfg_st" ] && [ "$2" = way ] && return 0
	case $3 in ??????????+*) gocfg_way_bad "$1" "an ACL may let others write it (mode $3)" ;; esac
	[ -z "$gocfg_ow" ] && gocfg_way_private "$5" "$6" && return 0
	gocfg_way_bad "$1" "others may write it (mode $3)"
}
gocfg_way() {
	gocfg_me=$(id -u) || exit 3
	gocfg_b=$1 gocfg_d=${1%/*}
	(umask 077 && mkdir -p -- "$gocfg_d") || exit 3
	gocfg_p=$(cd -P -- "$gocfg_d" && pwd -P) || gocfg_way_bad "$gocfg_d" "cannot enter it"
	case $gocfg_p in /*) ;; *) gocfg_way_bad "$gocfg_d" "it has no absolute path" ;; esac
	case $gocfg_p in *'
'*) gocfg_way_bad "$gocfg_p" "its path has a line break" ;; esac
	gocfg_b=$gocfg_p/${gocfg_b##*/}
	gocfg_way_look / way
	gocfg_f= gocfg_r=${gocfg_p#/}
	while [ -n "$gocfg_r" ]; do
		gocfg_c=${gocfg_r%%/*}
		case $gocfg_r in */*) gocfg_r=${gocfg_r#*/} ;; *) gocfg_r= ;; esac
		gocfg_f=$gocfg_f/$gocfg_c
		if [ -n "$gocfg_r" ]; then gocfg_way_look "$gocfg_f" way; else gocfg_way_look "$gocfg_f" end; fi
	done
	case $gocfg_p in *[\\!]*) gocfg_way_bad "$gocfg_p" "its path has a backslash or a !, which login shells read differently" ;; esac
	printf '\n%s%s:%s\n' '` + wayFolderPrefix + `' "$gocfg_t" "$gocfg_p"
	[ ! -h "$gocfg_b" ] && [ -f "$gocfg_b" ] || return 1
	gocfg_way_look "$gocfg_b" end
	[ -x "$gocfg_b" ] || return 1
	return 0
}
`

// wayFolderPrefix starts the line on which gocfg_way prints the deploy
// folder's path as it checked it (no link on it): every later command
// names the binary and the deploy's folders by that path, never by the
// "$HOME" path whose links the check resolved.
const wayFolderPrefix = "gocfg-deploy-folder:"

// wayRun is the command that runs gocfg_way on bin (a path for Shell)
// and the script to give it on its standard input: /bin/sh reads the
// script, whatever the login user's shell is. Tester AQ: run by fish,
// which exits 0 on a parse error, the check "passed" and nothing was
// uploaded or checked; zsh does not split words as sh does, so every
// deploy was refused. The login shell only runs /bin/sh with one
// argument, which every shell parses alike.
//
// The script's first line sets token, which the folder line must carry
// (wayFolder): a login shell whose rc file reads some of standard input
// before /bin/sh does would otherwise run the rest of the script with
// its checks undefined, and it could still print a folder line
// (reviewer R12). The token is on standard input only, never on the
// command line.
//
// The checks themselves come in one quoted word whose length is checked
// before it is run (eval): something of the login user's that reads
// standard input beside /bin/sh (a background job of an rc file) could
// otherwise take a piece from its middle, a check with it, and the rest
// would still print the folder line (reviewer R13: 126 of 3000 such
// cuts did).
func wayRun(bin Raw, token string) (command, script string) {
	return Shell("/bin/sh", "-s", bin), "gocfg_t=" + token + "\n" +
		"gocfg_s=" + Quote(wayCheck) + "\n" +
		"[ \"${#gocfg_s}\" -eq " + strconv.Itoa(len(wayCheck)) + " ] || { echo 'gocfg: error: the check of the deploy folder did not arrive whole' >&2; exit 3; }\n" +
		"eval \"$gocfg_s\"\n" +
		"gocfg_way \"$1\"\n"
}

// wayFolder is the deploy folder's path that the way check printed
// with token, on its last line that starts with wayFolderPrefix (what
// the login user's rc files print comes before it).
func wayFolder(out, token string) (string, bool) {
	dir, ok := "", false
	for l := range strings.SplitSeq(out, "\n") {
		if rest, found := strings.CutPrefix(l, wayFolderPrefix+token+":"); found && token != "" && strings.HasPrefix(rest, "/") && !strings.ContainsAny(rest, "\r\\!") {
			dir, ok = rest, true
		}
	}
	return dir, ok
}
