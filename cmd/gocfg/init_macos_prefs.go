package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gocfg/gocfg/platform/accounts"
	"github.com/gocfg/gocfg/platform/macos"
	"github.com/gocfg/gocfg/platform/macos/prefs"
)

// A prefKind is the type of a typed preference option, which the value
// read from the domain must have.
type prefKind int

const (
	prefBool prefKind = iota
	prefInt
	prefReal
	prefString
)

// A prefKey is one key of a user preferences domain.
type prefKey struct{ Domain, Key string }

// A typedPref is a typed option (modules/builtin/hcl/macos/*.hcl) whose
// value passes to its keys unchanged: what `gocfg init` can read back.
// An option written to several keys is read only when they agree.
// Options that translate their value (hot corners, click pressures,
// Dock tiles) are left out.
type typedPref struct {
	Option string
	Kind   prefKind
	Keys   []prefKey
	// Enum are the values an enum option takes (nil: any of its kind).
	Enum []string
}

// typedPrefs are the typed options gocfg init reads, in the order the
// modules declare them. TestTypedPrefsMatchModules checks each against
// the built-in modules.
var typedPrefs = []typedPref{
	{"macos.dock.autohide", prefBool, []prefKey{{"com.apple.dock", "autohide"}}, nil},
	{"macos.dock.autohide_delay", prefReal, []prefKey{{"com.apple.dock", "autohide-delay"}}, nil},
	{"macos.dock.autohide_time_modifier", prefReal, []prefKey{{"com.apple.dock", "autohide-time-modifier"}}, nil},
	{"macos.dock.orientation", prefString, []prefKey{{"com.apple.dock", "orientation"}}, []string{"bottom", "left", "right"}},
	{"macos.dock.tile_size", prefInt, []prefKey{{"com.apple.dock", "tilesize"}}, nil},
	{"macos.dock.magnification", prefBool, []prefKey{{"com.apple.dock", "magnification"}}, nil},
	{"macos.dock.large_size", prefInt, []prefKey{{"com.apple.dock", "largesize"}}, nil},
	{"macos.dock.minimize_effect", prefString, []prefKey{{"com.apple.dock", "mineffect"}}, []string{"genie", "scale", "suck"}},
	{"macos.dock.minimize_to_application", prefBool, []prefKey{{"com.apple.dock", "minimize-to-application"}}, nil},
	{"macos.dock.show_recents", prefBool, []prefKey{{"com.apple.dock", "show-recents"}}, nil},
	{"macos.dock.show_process_indicators", prefBool, []prefKey{{"com.apple.dock", "show-process-indicators"}}, nil},
	{"macos.dock.show_only_open_apps", prefBool, []prefKey{{"com.apple.dock", "static-only"}}, nil},
	{"macos.dock.show_hidden_apps_translucent", prefBool, []prefKey{{"com.apple.dock", "showhidden"}}, nil},
	{"macos.dock.animate_app_launch", prefBool, []prefKey{{"com.apple.dock", "launchanim"}}, nil},
	{"macos.dock.auto_rearrange_spaces", prefBool, []prefKey{{"com.apple.dock", "mru-spaces"}}, nil},
	{"macos.dock.group_windows_by_app", prefBool, []prefKey{{"com.apple.dock", "expose-group-apps"}}, nil},
	{"macos.dock.expose_animation_duration", prefReal, []prefKey{{"com.apple.dock", "expose-animation-duration"}}, nil},
	{"macos.dock.highlight_stack_on_hover", prefBool, []prefKey{{"com.apple.dock", "mouse-over-hilite-stack"}}, nil},
	{"macos.dock.scroll_to_open", prefBool, []prefKey{{"com.apple.dock", "scroll-to-open"}}, nil},
	{"macos.dock.spring_load_all_items", prefBool, []prefKey{{"com.apple.dock", "enable-spring-load-actions-on-all-items"}}, nil},
	{"macos.dock.app_switcher_on_all_displays", prefBool, []prefKey{{"com.apple.dock", "appswitcher-all-displays"}}, nil},
	{"macos.dock.slow_motion_allowed", prefBool, []prefKey{{"com.apple.dock", "slow-motion-allowed"}}, nil},
	{"macos.finder.show_all_files", prefBool, []prefKey{{"com.apple.finder", "AppleShowAllFiles"}}, nil},
	{"macos.finder.show_all_extensions", prefBool, []prefKey{{"com.apple.finder", "AppleShowAllExtensions"}}, nil},
	{"macos.finder.show_path_bar", prefBool, []prefKey{{"com.apple.finder", "ShowPathbar"}}, nil},
	{"macos.finder.show_status_bar", prefBool, []prefKey{{"com.apple.finder", "ShowStatusBar"}}, nil},
	{"macos.finder.show_posix_path_in_title", prefBool, []prefKey{{"com.apple.finder", "_FXShowPosixPathInTitle"}}, nil},
	{"macos.finder.warn_on_extension_change", prefBool, []prefKey{{"com.apple.finder", "FXEnableExtensionChangeWarning"}}, nil},
	{"macos.finder.warn_on_empty_trash", prefBool, []prefKey{{"com.apple.finder", "WarnOnEmptyTrash"}}, nil},
	{"macos.finder.remove_old_trash_items", prefBool, []prefKey{{"com.apple.finder", "FXRemoveOldTrashItems"}}, nil},
	{"macos.finder.sort_folders_first", prefBool, []prefKey{{"com.apple.finder", "_FXSortFoldersFirst"}}, nil},
	{"macos.finder.sort_folders_first_on_desktop", prefBool, []prefKey{{"com.apple.finder", "_FXSortFoldersFirstOnDesktop"}}, nil},
	{"macos.finder.show_quit_menu_item", prefBool, []prefKey{{"com.apple.finder", "QuitMenuItem"}}, nil},
	{"macos.finder.show_desktop_icons", prefBool, []prefKey{{"com.apple.finder", "CreateDesktop"}}, nil},
	{"macos.finder.show_hard_drives_on_desktop", prefBool, []prefKey{{"com.apple.finder", "ShowHardDrivesOnDesktop"}}, nil},
	{"macos.finder.show_external_drives_on_desktop", prefBool, []prefKey{{"com.apple.finder", "ShowExternalHardDrivesOnDesktop"}}, nil},
	{"macos.finder.show_removable_media_on_desktop", prefBool, []prefKey{{"com.apple.finder", "ShowRemovableMediaOnDesktop"}}, nil},
	{"macos.finder.show_servers_on_desktop", prefBool, []prefKey{{"com.apple.finder", "ShowMountedServersOnDesktop"}}, nil},
	{"macos.global.interface_style", prefString, []prefKey{{"NSGlobalDomain", "AppleInterfaceStyle"}}, []string{"Dark"}},
	{"macos.global.auto_switch_appearance", prefBool, []prefKey{{"NSGlobalDomain", "AppleInterfaceStyleSwitchesAutomatically"}}, nil},
	{"macos.global.show_all_extensions", prefBool, []prefKey{{"NSGlobalDomain", "AppleShowAllExtensions"}}, nil},
	{"macos.global.show_all_files", prefBool, []prefKey{{"NSGlobalDomain", "AppleShowAllFiles"}}, nil},
	{"macos.global.key_repeat", prefInt, []prefKey{{"NSGlobalDomain", "KeyRepeat"}}, nil},
	{"macos.global.initial_key_repeat", prefInt, []prefKey{{"NSGlobalDomain", "InitialKeyRepeat"}}, nil},
	{"macos.global.press_and_hold", prefBool, []prefKey{{"NSGlobalDomain", "ApplePressAndHoldEnabled"}}, nil},
	{"macos.global.fn_keys_standard", prefBool, []prefKey{{"NSGlobalDomain", "com.apple.keyboard.fnState"}}, nil},
	{"macos.global.auto_capitalization", prefBool, []prefKey{{"NSGlobalDomain", "NSAutomaticCapitalizationEnabled"}}, nil},
	{"macos.global.auto_spelling_correction", prefBool, []prefKey{{"NSGlobalDomain", "NSAutomaticSpellingCorrectionEnabled"}}, nil},
	{"macos.global.auto_period_substitution", prefBool, []prefKey{{"NSGlobalDomain", "NSAutomaticPeriodSubstitutionEnabled"}}, nil},
	{"macos.global.smart_quotes", prefBool, []prefKey{{"NSGlobalDomain", "NSAutomaticQuoteSubstitutionEnabled"}}, nil},
	{"macos.global.smart_dashes", prefBool, []prefKey{{"NSGlobalDomain", "NSAutomaticDashSubstitutionEnabled"}}, nil},
	{"macos.global.inline_prediction", prefBool, []prefKey{{"NSGlobalDomain", "NSAutomaticInlinePredictionEnabled"}}, nil},
	{"macos.global.natural_scrolling", prefBool, []prefKey{{"NSGlobalDomain", "com.apple.swipescrolldirection"}}, nil},
	{"macos.global.trackpad_speed", prefReal, []prefKey{{"NSGlobalDomain", "com.apple.trackpad.scaling"}}, nil},
	{"macos.global.trackpad_secondary_click", prefBool, []prefKey{{"NSGlobalDomain", "com.apple.trackpad.enableSecondaryClick"}}, nil},
	{"macos.global.force_click", prefBool, []prefKey{{"NSGlobalDomain", "com.apple.trackpad.forceClick"}}, nil},
	{"macos.global.swipe_to_navigate", prefBool, []prefKey{{"NSGlobalDomain", "AppleEnableSwipeNavigateWithScrolls"}}, nil},
	{"macos.global.mouse_swipe_to_navigate", prefBool, []prefKey{{"NSGlobalDomain", "AppleEnableMouseSwipeNavigateWithScrolls"}}, nil},
	{"macos.global.measurement_units", prefString, []prefKey{{"NSGlobalDomain", "AppleMeasurementUnits"}}, []string{"Centimeters", "Inches"}},
	{"macos.global.metric_units", prefBool, []prefKey{{"NSGlobalDomain", "AppleMetricUnits"}}, nil},
	{"macos.global.temperature_unit", prefString, []prefKey{{"NSGlobalDomain", "AppleTemperatureUnit"}}, []string{"Celsius", "Fahrenheit"}},
	{"macos.global.use_24_hour_clock", prefBool, []prefKey{{"NSGlobalDomain", "AppleICUForce24HourTime"}}, nil},
	{"macos.global.expand_save_panel", prefBool, []prefKey{{"NSGlobalDomain", "NSNavPanelExpandedStateForSaveMode"}, {"NSGlobalDomain", "NSNavPanelExpandedStateForSaveMode2"}}, nil},
	{"macos.global.expand_print_panel", prefBool, []prefKey{{"NSGlobalDomain", "PMPrintingExpandedStateForPrint"}, {"NSGlobalDomain", "PMPrintingExpandedStateForPrint2"}}, nil},
	{"macos.global.save_new_documents_to_icloud", prefBool, []prefKey{{"NSGlobalDomain", "NSDocumentSaveNewDocumentsToCloud"}}, nil},
	{"macos.global.hide_menu_bar", prefBool, []prefKey{{"NSGlobalDomain", "_HIHideMenuBar"}}, nil},
	{"macos.global.show_scroll_bars", prefString, []prefKey{{"NSGlobalDomain", "AppleShowScrollBars"}}, []string{"WhenScrolling", "Automatic", "Always"}},
	{"macos.global.click_scroll_bar_to_jump", prefBool, []prefKey{{"NSGlobalDomain", "AppleScrollerPagingBehavior"}}, nil},
	{"macos.global.smooth_scrolling", prefBool, []prefKey{{"NSGlobalDomain", "NSScrollAnimationEnabled"}}, nil},
	{"macos.global.window_tabbing_mode", prefString, []prefKey{{"NSGlobalDomain", "AppleWindowTabbingMode"}}, []string{"manual", "always", "fullscreen"}},
	{"macos.global.window_animations", prefBool, []prefKey{{"NSGlobalDomain", "NSAutomaticWindowAnimationsEnabled"}}, nil},
	{"macos.global.window_resize_time", prefReal, []prefKey{{"NSGlobalDomain", "NSWindowResizeTime"}}, nil},
	{"macos.global.drag_windows_with_gesture", prefBool, []prefKey{{"NSGlobalDomain", "NSWindowShouldDragOnGesture"}}, nil},
	{"macos.global.switch_to_space_with_app_windows", prefBool, []prefKey{{"NSGlobalDomain", "AppleSpacesSwitchOnActivate"}}, nil},
	{"macos.global.font_smoothing", prefInt, []prefKey{{"NSGlobalDomain", "AppleFontSmoothing"}}, nil},
	{"macos.global.beep_volume", prefReal, []prefKey{{"NSGlobalDomain", "com.apple.sound.beep.volume"}}, nil},
	{"macos.global.spring_loading", prefBool, []prefKey{{"NSGlobalDomain", "com.apple.springing.enabled"}}, nil},
	{"macos.global.spring_loading_delay", prefReal, []prefKey{{"NSGlobalDomain", "com.apple.springing.delay"}}, nil},
	{"macos.global.disable_automatic_termination", prefBool, []prefKey{{"NSGlobalDomain", "NSDisableAutomaticTermination"}}, nil},
	{"macos.global.animated_focus_ring", prefBool, []prefKey{{"NSGlobalDomain", "NSUseAnimatedFocusRing"}}, nil},
	{"macos.global.show_control_characters", prefBool, []prefKey{{"NSGlobalDomain", "NSTextShowsControlCharacters"}}, nil},
	{"macos.screencapture.location", prefString, []prefKey{{"com.apple.screencapture", "location"}}, nil},
	{"macos.screencapture.format", prefString, []prefKey{{"com.apple.screencapture", "type"}}, []string{"png", "jpg", "gif", "pdf", "tiff", "heic", "bmp"}},
	{"macos.screencapture.target", prefString, []prefKey{{"com.apple.screencapture", "target"}}, []string{"file", "clipboard", "preview", "mail", "messages"}},
	{"macos.screencapture.name", prefString, []prefKey{{"com.apple.screencapture", "name"}}, nil},
	{"macos.screencapture.disable_shadow", prefBool, []prefKey{{"com.apple.screencapture", "disable-shadow"}}, nil},
	{"macos.screencapture.show_thumbnail", prefBool, []prefKey{{"com.apple.screencapture", "show-thumbnail"}}, nil},
	{"macos.screencapture.include_date", prefBool, []prefKey{{"com.apple.screencapture", "include-date"}}, nil},
	{"macos.screencapture.show_cursor", prefBool, []prefKey{{"com.apple.screencapture", "showsCursor"}}, nil},
	{"macos.trackpad.tap_to_click", prefBool, []prefKey{{"com.apple.AppleMultitouchTrackpad", "Clicking"}, {"com.apple.driver.AppleBluetoothMultitouch.trackpad", "Clicking"}}, nil},
	{"macos.trackpad.tap_to_drag", prefBool, []prefKey{{"com.apple.AppleMultitouchTrackpad", "Dragging"}, {"com.apple.driver.AppleBluetoothMultitouch.trackpad", "Dragging"}}, nil},
	{"macos.trackpad.right_click", prefBool, []prefKey{{"com.apple.AppleMultitouchTrackpad", "TrackpadRightClick"}, {"com.apple.driver.AppleBluetoothMultitouch.trackpad", "TrackpadRightClick"}}, nil},
	{"macos.trackpad.three_finger_drag", prefBool, []prefKey{{"com.apple.AppleMultitouchTrackpad", "TrackpadThreeFingerDrag"}, {"com.apple.driver.AppleBluetoothMultitouch.trackpad", "TrackpadThreeFingerDrag"}}, nil},
}

// A prefSetting is a typed option with the value read from the machine,
// as HCL.
type prefSetting struct {
	Option string // macos.dock.autohide
	Value  string // true
}

// prefsUserOf is the account whose preferences init reads, and so the
// one macos.primary_user names: the invoking user (the one behind sudo),
// else, as root, the Mac's one ordinary user; false when none fits.
func prefsUserOf(m *machine, users []accounts.Account) (accounts.Account, bool) {
	for _, a := range m.accounts.Users() {
		if a.Name == m.env.User && a.Name != "root" && a.UID != 0 {
			return a, true
		}
	}
	if m.privileged && len(users) == 1 {
		return users[0], true
	}
	return accounts.Account{}, false
}

// readTypedPrefs reads, with `defaults export <domain> -` run as u
// through the System seam, the typed options whose keys are set in u's
// preference domains today, in typedPrefs' order. A domain that cannot
// be read is left out with a note; a value of another type than the
// option's, or keys of one option that disagree, leave the option out.
func readTypedPrefs(ctx context.Context, m *machine, u accounts.Account) (set []prefSetting, notes []string) {
	store := &prefs.Defaults{Sys: m.query, User: macos.User{Name: u.Name, UID: u.UID, GID: u.GID, Home: u.Home}, Privileged: m.privileged}
	domains := map[string]map[string]any{}
	read := func(name string) map[string]any {
		if dm, ok := domains[name]; ok {
			return dm
		}
		dm, err := store.Export(ctx, prefs.Domain{Scope: prefs.ScopeUser, User: u.Name, Name: name})
		if err != nil {
			notes = append(notes, "preferences: "+err.Error())
		}
		domains[name] = dm
		return dm
	}
	for _, p := range typedPrefs {
		if v, ok := p.read(read); ok {
			set = append(set, prefSetting{Option: p.Option, Value: v})
		}
	}
	return set, notes
}

// read returns the option's value as HCL when every key of it is set,
// to the same value, of the option's type.
func (p typedPref) read(domain func(string) map[string]any) (string, bool) {
	var first any
	for i, k := range p.Keys {
		v, ok := domain(k.Domain)[k.Key]
		if !ok || (i > 0 && !prefs.Equal(v, first)) {
			return "", false
		}
		first = v
	}
	return p.hcl(first)
}

// hcl is v as the option's HCL value; false when v does not fit it.
func (p typedPref) hcl(v any) (string, bool) {
	switch p.Kind {
	case prefBool:
		if b, ok := v.(bool); ok {
			return strconv.FormatBool(b), true
		}
	case prefInt:
		switch n := v.(type) {
		case int64:
			return strconv.FormatInt(n, 10), true
		case float64:
			if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
				return strconv.FormatInt(int64(n), 10), true
			}
		}
	case prefReal:
		switch n := v.(type) {
		case int64:
			return strconv.FormatInt(n, 10), true
		case float64:
			if !math.IsInf(n, 0) && !math.IsNaN(n) {
				return strconv.FormatFloat(n, 'g', -1, 64), true
			}
		}
	case prefString:
		s, ok := v.(string)
		if ok && (p.Enum == nil || slices.Contains(p.Enum, s)) {
			return hclString(s), true
		}
	}
	return "", false
}

// writeMacosBlock writes the macos block of the starter configuration:
// primary_user when it is not the invoking user, the typed preferences
// grouped by their block (dock, finder, ...) in their order, and
// Homebrew's attributes (brew); nothing when all are empty.
func writeMacosBlock(b *strings.Builder, primary string, set []prefSetting, brew [][2]string) {
	if primary == "" && len(set) == 0 && len(brew) == 0 {
		return
	}
	b.WriteString("\nmacos {\n")
	if primary != "" {
		fmt.Fprintf(b, "  primary_user = %s\n", hclString(primary))
	}
	var groups []string
	attrs := map[string][][2]string{}
	for _, s := range set {
		group, name, _ := strings.Cut(strings.TrimPrefix(s.Option, "macos."), ".")
		if _, ok := attrs[group]; !ok {
			groups = append(groups, group)
		}
		attrs[group] = append(attrs[group], [2]string{name, s.Value})
	}
	for i, g := range groups {
		if i > 0 || primary != "" {
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "  %s {\n", g)
		writeAttrs(b, attrs[g], "    ")
		b.WriteString("  }\n")
	}
	if len(brew) > 0 {
		if len(groups) > 0 || primary != "" {
			b.WriteString("\n")
		}
		b.WriteString("  homebrew {\n")
		writeAttrs(b, brew, "    ")
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
}
