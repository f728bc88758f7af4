package packages

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/gocfg/gocfg/platform"
	"github.com/gocfg/gocfg/platform/packages/brewname"
	"github.com/gocfg/gocfg/platform/system"
)

// The IDs of the Homebrew changes besides InstallID and RemoveID, which
// are the formulae's (`environment.system_packages`). Taps are added
// before formulae and casks are installed, and removed after the
// formulae and casks gocfg removes.
const (
	CaskInstallID = "packages:casks-install"
	CaskRemoveID  = "packages:casks-remove"
	TapAddID      = "packages:taps-add"
	TapRemoveID   = "packages:taps-remove"
	// CleanupFormulaeID and CleanupCasksID remove what brew has and the
	// configuration does not name (macos.homebrew.cleanup).
	CleanupFormulaeID = "packages:cleanup-formulae"
	CleanupCasksID    = "packages:cleanup-casks"
)

// The options of the Homebrew kinds besides `environment.system_packages`.
const (
	optionCasks   = "macos.homebrew.casks"
	optionTaps    = "macos.homebrew.taps"
	optionUser    = "macos.homebrew.user"
	optionCleanup = "macos.homebrew.cleanup"
)

// A brewKind is how one kind of Homebrew's things is planned.
type brewKind struct {
	kind, option string
	// noun counts the kind in plan lines ("3 packages").
	noun string
	// add, del are the change IDs; addVerb, delVerb the words of the plan
	// lines.
	add, del         string
	addVerb, delVerb string
}

// brewKinds in planning order: taps first, as a formula or cask may come
// from one.
var brewKinds = []brewKind{
	{kind: kindTap, option: optionTaps, noun: "tap", add: TapAddID, del: TapRemoveID, addVerb: "add", delVerb: "remove"},
	{kind: kindFormula, option: option, noun: "package", add: InstallID, del: RemoveID, addVerb: "install", delVerb: "remove"},
	{kind: kindCask, option: optionCasks, noun: "cask", add: CaskInstallID, del: CaskRemoveID, addVerb: "install", delVerb: "remove"},
}

// depsOf returns the changes a kind's change of action waits for: an
// install waits for the taps added, a removal runs before the taps
// removed (deletes run in the reverse order of Deps).
func (k brewKind) depsOf(action platform.Action) []string {
	switch {
	case k.kind == kindTap:
		return nil
	case action == platform.Create:
		return []string{TapAddID}
	default:
		return []string{TapRemoveID}
	}
}

func (k brewKind) count(n int) string {
	if n == 1 {
		return "1 " + k.noun
	}
	return fmt.Sprintf("%d %ss", n, k.noun)
}

// A brewResult is one kind's plan.
type brewResult struct {
	// missing are the wanted names not installed; remove the ones gocfg
	// installed, no longer wanted and installed; gone the ones gocfg
	// installed, no longer wanted and removed by hand already.
	missing, remove, gone []string
	// opName is the name an op gives brew for each name: the full name
	// brew info answered (so an alias is checked by the name brew lists),
	// else the declared one.
	opName map[string]string
	// again are the missing names gocfg had installed (drift).
	again []string
	// installed are the wanted names gocfg installed or installs.
	installed []string
	// unchecked are wanted names from a tap not tapped yet: brew cannot
	// tell whether it knows them before the tap is added.
	unchecked []string
}

// planBrew plans Homebrew's formulae (`environment.system_packages`),
// casks and taps.
func (p *Provider) planBrew(ctx context.Context, applied *Records, formulae []string) (*platform.Part, error) {
	l := p.Machine
	want, user, err := p.brewWanted(formulae)
	if err != nil {
		return nil, err
	}
	cleanup := p.brewCleanup()
	part := &platform.Part{Records: applied.normalize()}
	mine, otherManager := brewMine(applied)
	subject, wanted := brewSubject(want, mine, applied)
	if len(subject) == 0 {
		part.Records = (&Records{Manager: applied.Manager}).normalize()
		return part, nil
	}
	why, err := p.brewSkipped()
	if err != nil {
		return nil, err
	}
	if why != "" {
		part.Notes = append(part.Notes, strings.Join(subject, ", ")+": "+why)
		return part, nil
	}
	if otherManager && len(applied.Installed) > 0 {
		part.Warnings = append(part.Warnings, fmt.Sprintf("%s: the package manager changed from %s to brew; the packages gocfg installed with %s (%s) are left alone and no longer managed",
			option, applied.Manager, applied.Manager, strings.Join(applied.Installed, ", ")))
	}
	q := l.Reader()
	path, ok := findBrew(q)
	if !ok {
		if wanted {
			return nil, brewMissing(want)
		}
		return p.forgetBrew(part, mine, user)
	}
	b := brew{Path: path}
	if l.Privileged {
		if b.User, err = p.brewUser(ctx, user, b.prefix()); err != nil {
			return nil, err
		}
	}
	res, err := b.planKinds(ctx, q, want, mine)
	if err != nil {
		return nil, err
	}
	recs := &Records{Manager: "brew", Packages: want[kindFormula], Installed: res[kindFormula].installed,
		Casks: newSet(want[kindCask], res[kindCask].installed), Taps: newSet(want[kindTap], res[kindTap].installed), BrewUser: user, Cleanup: cleanup}
	part.Records = recs.normalize()
	for _, k := range brewKinds {
		r := res[k.kind]
		for _, n := range r.unchecked {
			part.Notes = append(part.Notes, fmt.Sprintf("%s: %s is not checked before the switch: its tap %s is added by the switch first", k.option, n, brewname.TapOf(n)))
		}
		part.Changes = append(part.Changes, r.changes(k, b)...)
	}
	if cleanup != "" {
		cs, err := b.planCleanup(ctx, q, cleanup, want, res)
		if err != nil {
			return nil, err
		}
		if len(cs) > 0 {
			part.Notes = append(part.Notes, optionCleanup+" = "+cleanup+": the formulae and casks listed for removal are not in the configuration; brew installed them by hand or for something else. If the switch fails, gocfg installs them again, best effort (their current version"+
				map[bool]string{true: "; a zapped cask's files are gone", false: ""}[cleanup == "zap"]+"); a rollback does not bring them back.")
		}
		part.Changes = append(part.Changes, cs...)
	}
	var appliedMas *MasSet
	if !otherManager {
		appliedMas = applied.Mas
	}
	cs, notes, mas, err := b.planMas(ctx, q, p.masWanted(), appliedMas, res[kindFormula], cleanup)
	if err != nil {
		return nil, err
	}
	recs.Mas = mas
	part.Changes = append(part.Changes, cs...)
	part.Notes = append(part.Notes, notes...)
	return part, nil
}

// brewCleanup is macos.homebrew.cleanup ("" for none), from the
// configuration or, on a rollback, the generation.
func (p *Provider) brewCleanup() string {
	var c string
	switch {
	case p.Records != nil:
		c = p.Records.Cleanup
	case p.Config != nil:
		c = p.Config.Cleanup
	}
	if c == "none" {
		return ""
	}
	return c
}

// planCleanup removes the formulae installed on request and the casks
// that the configuration does not name (macos.homebrew.cleanup):
// formulae brew installed as dependencies (not in `brew leaves
// --installed-on-request`) are never removed, nor what the kinds' own
// changes already remove.
func (b brew) planCleanup(ctx context.Context, q system.System, mode string, want map[string][]string, res map[string]*brewResult) ([]platform.Change, error) {
	if mode != "uninstall" && mode != "zap" {
		return nil, &platform.ConfigError{Option: optionCleanup, Msg: fmt.Sprintf("%q is not none, uninstall or zap", mode)}
	}
	leaves, err := b.ask(ctx, q, "leaves", "--installed-on-request")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", optionCleanup, err)
	}
	casks, err := b.listed(ctx, q, kindCask)
	if err != nil {
		return nil, err
	}
	have := map[string][]string{kindFormula: parseLines(leaves), kindCask: sorted(casks)}
	var cs []platform.Change
	for _, k := range []struct {
		kind, id, noun string
	}{{kindCask, CleanupCasksID, "cask"}, {kindFormula, CleanupFormulaeID, "formula"}} {
		keep := map[string]bool{}
		r := res[k.kind]
		for _, n := range append(append([]string(nil), want[k.kind]...), r.remove...) {
			keep[listKey(k.kind, n)] = true
			if o := r.opName[n]; o != "" {
				keep[listKey(k.kind, o)] = true
			}
		}
		var extra []string
		for _, n := range have[k.kind] {
			if !keep[strings.ToLower(n)] {
				extra = append(extra, n)
			}
		}
		if len(extra) == 0 {
			continue
		}
		sort.Strings(extra)
		zap := mode == "zap" && k.kind == kindCask
		verb := "uninstall"
		if zap {
			verb = "zap (uninstall with their files)"
		}
		noun := k.noun
		if len(extra) > 1 {
			noun = map[string]string{"cask": "casks", "formula": "formulae"}[k.noun]
		}
		cs = append(cs, platform.Change{ID: k.id, Kind: "packages", Action: platform.Delete, Deps: []string{TapRemoveID},
			Before: fmt.Sprintf("brew: %s %d %s not in the configuration: %s", verb, len(extra), noun, strings.Join(extra, ", ")),
			Ops:    []platform.Op{&BrewRemoveOp{Kind: k.kind, Names: extra, Brew: b.Path, User: b.User, Zap: zap}}})
	}
	return cs, nil
}

// brewWanted returns the declared formulae, casks and taps (the taps of
// qualified names added), cleaned, and the user brew runs as.
func (p *Provider) brewWanted(formulae []string) (map[string][]string, string, error) {
	var casks, taps []string
	var user string
	switch {
	case p.Records != nil:
		casks, taps, user = p.Records.Casks.names(), p.Records.Taps.names(), p.Records.BrewUser
	case p.Config != nil:
		casks, taps, user = p.Config.Casks, p.Config.Taps, p.Config.BrewUser
	}
	want := map[string][]string{}
	for _, k := range []struct {
		kind, opt string
		names     []string
	}{{kindFormula, option, withMas(formulae, p.masWanted())}, {kindCask, optionCasks, casks}, {kindTap, optionTaps, taps}} {
		var err error
		if want[k.kind], err = cleanBrew(k.opt, k.kind, k.names); err != nil {
			return nil, "", err
		}
	}
	want[kindTap] = withTapsOf(want[kindTap], want[kindFormula], want[kindCask])
	return want, user, nil
}

// brewMine returns what gocfg installed with brew, by kind, and whether
// the records are another package manager's (their formulae are not
// brew's).
func brewMine(applied *Records) (map[string]map[string]bool, bool) {
	mine := map[string]map[string]bool{kindFormula: {}, kindCask: {}, kindTap: {}}
	otherManager := applied.Manager != "" && applied.Manager != "brew"
	if !otherManager {
		for _, n := range applied.Installed {
			mine[kindFormula][n] = true
		}
	}
	for _, n := range applied.Casks.installed() {
		mine[kindCask][n] = true
	}
	for _, n := range applied.Taps.installed() {
		mine[kindTap][brewname.Tap(n)] = true
	}
	return mine, otherManager
}

// brewSubject lists the options the plan is about (sorted) and says
// whether anything is wanted.
func brewSubject(want map[string][]string, mine map[string]map[string]bool, applied *Records) ([]string, bool) {
	var subject []string
	wanted := false
	for _, k := range brewKinds {
		if len(want[k.kind]) > 0 || len(mine[k.kind]) > 0 || k.kind == kindFormula && len(applied.Installed) > 0 {
			subject = append(subject, k.option)
		}
		wanted = wanted || len(want[k.kind]) > 0
	}
	sort.Strings(subject)
	return subject, wanted
}

// brewSkipped says why Homebrew is not planned on this run ("" when it
// is), or refuses it on Linux.
func (p *Provider) brewSkipped() (string, error) {
	l := p.Machine
	switch {
	case l.OS != "darwin":
		return "", &platform.ConfigError{Option: "environment.package_manager", Msg: "Homebrew is used on macOS only; this is " + l.OS, Hint: "use auto, apt, dnf or pacman on Linux"}
	case l.Offline:
		return "Homebrew needs the live machine; skipped under --root", nil
	}
	if _, dry := l.Sys.(*system.DryRun); dry && l.Query == nil {
		return "Homebrew cannot be asked through --dry-run's System (Machine.Query is not set); skipped", nil
	}
	return "", nil
}

// brewMissing is the error when Homebrew is not installed but something
// is wanted from it: named by the first kind wanted after the formulae,
// else the taps.
func brewMissing(want map[string][]string) error {
	for _, k := range brewKinds[1:] {
		if len(want[k.kind]) > 0 {
			return errBrewMissing(k.option)
		}
	}
	return errBrewMissing(optionTaps)
}

// planKinds plans each kind: the taps first, when any is declared or
// gocfg's (a qualified formula or cask declares its tap, and is not asked
// about before it is tapped).
func (b brew) planKinds(ctx context.Context, q system.System, want map[string][]string, mine map[string]map[string]bool) (map[string]*brewResult, error) {
	tapped := map[string]bool{}
	if len(want[kindTap]) > 0 || len(mine[kindTap]) > 0 {
		var err error
		if tapped, err = b.listed(ctx, q, kindTap); err != nil {
			return nil, err
		}
	}
	res := map[string]*brewResult{}
	for _, k := range brewKinds {
		if len(want[k.kind]) == 0 && len(mine[k.kind]) == 0 {
			res[k.kind] = &brewResult{}
			continue
		}
		r, err := b.planKind(ctx, q, k, want[k.kind], mine[k.kind], tapped)
		if err != nil {
			return nil, err
		}
		res[k.kind] = r
	}
	return res, nil
}

// brewUser checks the user brew runs as when gocfg runs as root.
func (p *Provider) brewUser(ctx context.Context, user, prefix string) (string, error) {
	hint := "set " + optionUser + " (or macos.primary_user) to the user who owns " + prefix
	if user == "" || user == "root" {
		return "", &platform.ConfigError{Option: optionUser, Msg: "Homebrew does not run as root, and no other user is set to run brew as", Hint: hint}
	}
	u, err := p.Machine.LookupMacUser(ctx, user)
	if err != nil {
		return "", fmt.Errorf("%s: brew runs as %s: %w", optionUser, user, err)
	}
	if u.UID == 0 {
		return "", &platform.ConfigError{Option: optionUser, Msg: fmt.Sprintf("%s has uid 0, and Homebrew does not run as root", user), Hint: hint}
	}
	return user, nil
}

// forgetBrew is the plan when Homebrew is gone from the Mac and nothing
// wants it: what gocfg installed with it went with it.
func (p *Provider) forgetBrew(part *platform.Part, mine map[string]map[string]bool, user string) (*platform.Part, error) {
	var what []string
	for _, k := range brewKinds {
		if names := sorted(mine[k.kind]); len(names) > 0 {
			what = append(what, strings.Join(names, ", "))
			part.Changes = append(part.Changes, platform.Forget(k.del, "packages"))
		}
	}
	if len(what) > 0 {
		part.Warnings = append(part.Warnings, "Homebrew is not installed any more; gocfg forgets what it installed with it: "+strings.Join(what, ", "))
	}
	part.Records = (&Records{Manager: "brew", BrewUser: user}).normalize()
	return part, nil
}

// withTapsOf adds to taps the tap of every qualified formula or cask
// ("hashicorp/tap/terraform" brings "hashicorp/tap"), so that gocfg adds
// it first, and removes it once nothing declares it.
func withTapsOf(taps []string, lists ...[]string) []string {
	have := map[string]bool{}
	for _, t := range taps {
		have[brewname.Tap(t)] = true
	}
	for _, l := range lists {
		for _, n := range l {
			if t := brewname.TapOf(n); t != "" && !have[t] {
				have[t] = true
				taps = append(taps, t)
			}
		}
	}
	sort.Strings(taps)
	return taps
}

// planKind compares one kind's declared names, the ones gocfg installed
// (mine) and what Homebrew has; tapped are the taps.
func (b brew) planKind(ctx context.Context, q system.System, k brewKind, want []string, mine, tapped map[string]bool) (*brewResult, error) {
	wanted := map[string]bool{}
	for _, n := range want {
		wanted[n] = true
	}
	ask := asked(want, mine)
	r := &brewResult{opName: map[string]string{}}
	live := map[string]bool{}
	if k.kind == kindTap {
		live = liveOf(kindTap, ask, tapped)
	} else {
		listed, err := b.listed(ctx, q, k.kind)
		if err != nil {
			return nil, err
		}
		var toInfo []string
		for _, n := range ask {
			switch t := brewname.TapOf(n); {
			case listed[listKey(k.kind, n)]:
				live[n] = true
			case t != "" && !tapped[t]:
				// brew info would tap it; it is not installed (brew
				// lists it otherwise) and gocfg adds its tap first.
				if wanted[n] {
					r.unchecked = append(r.unchecked, n)
				}
			default:
				// Not listed: not installed, unknown, or an alias of an
				// installed one; brew info tells which.
				toInfo = append(toInfo, n)
			}
		}
		if len(toInfo) > 0 {
			items, unknown, err := b.info(ctx, q, k.kind, toInfo)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k.option, err)
			}
			var bad, msgs []string
			for _, n := range toInfo {
				if it, ok := items[n]; ok {
					r.opName[n] = it.Name
					live[n] = it.Installed
				} else if wanted[n] {
					bad = append(bad, n)
					msgs = append(msgs, unknown[n])
				}
			}
			if len(bad) > 0 {
				return nil, &UnknownError{Manager: "brew", Packages: bad, Message: strings.Join(msgs, "\n"), Option: k.option}
			}
		}
	}
	for _, n := range want {
		if !live[n] {
			r.missing = append(r.missing, n)
			if mine[n] {
				r.again = append(r.again, n)
			}
		}
		if mine[n] || !live[n] {
			r.installed = append(r.installed, n)
		}
	}
	for _, n := range sorted(mine) {
		if wanted[n] {
			continue
		}
		if live[n] {
			r.remove = append(r.remove, n)
		} else {
			r.gone = append(r.gone, n)
		}
	}
	return r, nil
}

// names returns the op names of ns.
func (r *brewResult) names(ns []string) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n
		if o := r.opName[n]; o != "" {
			out[i] = o
		}
	}
	return out
}

// changes are one kind's removal and install changes.
func (r *brewResult) changes(k brewKind, b brew) []platform.Change {
	var cs []platform.Change
	if len(r.remove) > 0 || len(r.gone) > 0 {
		ch := platform.Change{ID: k.del, Kind: "packages", Action: platform.Delete, Deps: k.depsOf(platform.Delete), Opposite: k.add,
			Before: "brew: " + k.count(len(r.remove)+len(r.gone)) + ": " + strings.Join(append(append([]string(nil), r.remove...), r.gone...), ", ")}
		if len(r.gone) > 0 {
			ch.Drift = "removed by hand already: " + strings.Join(r.gone, ", ")
		}
		if len(r.remove) > 0 {
			ch.Before = "brew: " + k.delVerb + " " + k.count(len(r.remove)) + ": " + strings.Join(r.remove, ", ")
			ch.Ops = []platform.Op{&BrewRemoveOp{Kind: k.kind, Names: r.names(r.remove), Brew: b.Path, User: b.User}}
		}
		cs = append(cs, ch)
	}
	if len(r.missing) > 0 {
		ch := platform.Change{ID: k.add, Kind: "packages", Action: platform.Create, Deps: k.depsOf(platform.Create), Opposite: k.del,
			After: "brew: " + k.addVerb + " " + k.count(len(r.missing)) + ": " + strings.Join(r.missing, ", "),
			Ops:   []platform.Op{&BrewInstallOp{Kind: k.kind, Names: r.names(r.missing), Brew: b.Path, User: b.User}}}
		if len(r.again) > 0 {
			ch.Drift = "removed by hand since gocfg installed them: " + strings.Join(r.again, ", ")
		}
		cs = append(cs, ch)
	}
	return cs
}
