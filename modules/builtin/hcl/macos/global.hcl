# Typed options for the global domain (nix-darwin's
# system.defaults.NSGlobalDomain), mapped onto
# macos.defaults."NSGlobalDomain" (written with `defaults write -g`).
# Unset options leave their key unmanaged.

option "macos.global.interface_style" {
  type        = null_or(enum(["Dark"]))
  description = "`Dark` turns on dark mode. Light mode is the absence of the key, so it has no value here: removing this option restores the key as it was before gocfg managed it. Sets `NSGlobalDomain` `AppleInterfaceStyle` (string)."
}

option "macos.global.auto_switch_appearance" {
  type        = null_or(bool)
  description = "Switch between light and dark mode automatically by time of day. Sets `NSGlobalDomain` `AppleInterfaceStyleSwitchesAutomatically` (bool)."
}

option "macos.global.show_all_extensions" {
  type        = null_or(bool)
  description = "Show every file name extension (Finder's \"Show all filename extensions\"). Sets `NSGlobalDomain` `AppleShowAllExtensions` (bool)."
}

option "macos.global.show_all_files" {
  type        = null_or(bool)
  description = "Show hidden files in Finder and in open and save panels. Sets `NSGlobalDomain` `AppleShowAllFiles` (bool)."
}

option "macos.global.key_repeat" {
  type        = null_or(int)
  description = "Interval between repeats of a held key, in units of 15 ms; lower is faster (System Settings goes down to 2). Sets `NSGlobalDomain` `KeyRepeat` (integer)."
  example     = 2
}

option "macos.global.initial_key_repeat" {
  type        = null_or(int)
  description = "Delay before a held key starts repeating, in units of 15 ms; lower is shorter (System Settings goes down to 15). Sets `NSGlobalDomain` `InitialKeyRepeat` (integer)."
  example     = 15
}

option "macos.global.press_and_hold" {
  type        = null_or(bool)
  description = "Holding a key shows the accented-character menu; false makes held keys repeat instead. Sets `NSGlobalDomain` `ApplePressAndHoldEnabled` (bool)."
}

option "macos.global.full_keyboard_access" {
  type        = null_or(bool)
  description = "Tab moves focus between all controls, not only text fields and lists (keyboard navigation). Sets `NSGlobalDomain` `AppleKeyboardUIMode` (integer: 3 when true, 0 when false)."
}

option "macos.global.fn_keys_standard" {
  type        = null_or(bool)
  description = "F1, F2, ... act as standard function keys; hold fn for the brightness, volume and media features. Sets `NSGlobalDomain` `com.apple.keyboard.fnState` (bool)."
}

option "macos.global.auto_capitalization" {
  type        = null_or(bool)
  description = "Capitalize words automatically while typing. Sets `NSGlobalDomain` `NSAutomaticCapitalizationEnabled` (bool)."
}

option "macos.global.auto_spelling_correction" {
  type        = null_or(bool)
  description = "Correct spelling automatically while typing. Sets `NSGlobalDomain` `NSAutomaticSpellingCorrectionEnabled` (bool)."
}

option "macos.global.auto_period_substitution" {
  type        = null_or(bool)
  description = "Typing two spaces inserts a period. Sets `NSGlobalDomain` `NSAutomaticPeriodSubstitutionEnabled` (bool)."
}

option "macos.global.smart_quotes" {
  type        = null_or(bool)
  description = "Replace straight quotes with typographic (curly) quotes while typing. Sets `NSGlobalDomain` `NSAutomaticQuoteSubstitutionEnabled` (bool)."
}

option "macos.global.smart_dashes" {
  type        = null_or(bool)
  description = "Replace double hyphens with dashes while typing. Sets `NSGlobalDomain` `NSAutomaticDashSubstitutionEnabled` (bool)."
}

option "macos.global.inline_prediction" {
  type        = null_or(bool)
  description = "Show predictive text inline while typing. Sets `NSGlobalDomain` `NSAutomaticInlinePredictionEnabled` (bool)."
}

option "macos.global.natural_scrolling" {
  type        = null_or(bool)
  description = "Natural scrolling: content follows the fingers on trackpads and mice; false scrolls the traditional way. Sets `NSGlobalDomain` `com.apple.swipescrolldirection` (bool)."
}

option "macos.global.tap_to_click" {
  type        = null_or(bool)
  description = "Tapping the trackpad clicks, for the primary user (see also `macos.trackpad.tap_to_click`, which sets the trackpad drivers' own key). Sets `NSGlobalDomain` `com.apple.mouse.tapBehavior` of the primary user (integer: 1 when true, 0 when false); the login window and other users keep theirs."
}

option "macos.global.trackpad_speed" {
  type        = null_or(float)
  description = "Tracking speed of the trackpad, from 0 (slow) to 3 (fast). Sets `NSGlobalDomain` `com.apple.trackpad.scaling` (real)."
  example     = 1.5
}

option "macos.global.trackpad_secondary_click" {
  type        = null_or(bool)
  description = "Clicking or tapping with two fingers is a secondary (right) click. Sets `NSGlobalDomain` `com.apple.trackpad.enableSecondaryClick` (bool)."
}

option "macos.global.force_click" {
  type        = null_or(bool)
  description = "Force Click and haptic feedback: press firmly on the trackpad to look up words and preview files. Sets `NSGlobalDomain` `com.apple.trackpad.forceClick` (bool)."
}

option "macos.global.swipe_to_navigate" {
  type        = null_or(bool)
  description = "Swipe left or right with two fingers on the trackpad to go back and forward. Sets `NSGlobalDomain` `AppleEnableSwipeNavigateWithScrolls` (bool)."
}

option "macos.global.mouse_swipe_to_navigate" {
  type        = null_or(bool)
  description = "Swipe left or right with one finger on a Magic Mouse to go back and forward. Sets `NSGlobalDomain` `AppleEnableMouseSwipeNavigateWithScrolls` (bool)."
}

option "macos.global.measurement_units" {
  type        = null_or(enum(["Centimeters", "Inches"]))
  description = "Unit of length shown by the system. Sets `NSGlobalDomain` `AppleMeasurementUnits` (string)."
}

option "macos.global.metric_units" {
  type        = null_or(bool)
  description = "Use the metric system. Sets `NSGlobalDomain` `AppleMetricUnits` (bool)."
}

option "macos.global.temperature_unit" {
  type        = null_or(enum(["Celsius", "Fahrenheit"]))
  description = "Unit of temperature shown by the system. Sets `NSGlobalDomain` `AppleTemperatureUnit` (string)."
}

option "macos.global.use_24_hour_clock" {
  type        = null_or(bool)
  description = "Show times in 24-hour format whatever the region says. Sets `NSGlobalDomain` `AppleICUForce24HourTime` (bool)."
}

option "macos.global.expand_save_panel" {
  type        = null_or(bool)
  description = "Open save panels expanded, with the folder browser shown. Sets `NSGlobalDomain` `NSNavPanelExpandedStateForSaveMode` and `NSNavPanelExpandedStateForSaveMode2` (bool)."
}

option "macos.global.expand_print_panel" {
  type        = null_or(bool)
  description = "Open print panels expanded, with every setting shown. Sets `NSGlobalDomain` `PMPrintingExpandedStateForPrint` and `PMPrintingExpandedStateForPrint2` (bool)."
}

option "macos.global.save_new_documents_to_icloud" {
  type        = null_or(bool)
  description = "Save new documents to iCloud Drive by default; false saves them on this Mac. Sets `NSGlobalDomain` `NSDocumentSaveNewDocumentsToCloud` (bool)."
}

option "macos.global.hide_menu_bar" {
  type        = null_or(bool)
  description = "Hide the menu bar automatically; it appears when the pointer reaches the top of the screen. Sets `NSGlobalDomain` `_HIHideMenuBar` (bool)."
}

option "macos.global.show_scroll_bars" {
  type        = null_or(enum(["WhenScrolling", "Automatic", "Always"]))
  description = "When scroll bars are shown (`Automatic` follows the pointing device). Sets `NSGlobalDomain` `AppleShowScrollBars` (string)."
}

option "macos.global.click_scroll_bar_to_jump" {
  type        = null_or(bool)
  description = "Clicking in the scroll bar jumps to the spot clicked instead of moving one page. Sets `NSGlobalDomain` `AppleScrollerPagingBehavior` (bool)."
}

option "macos.global.smooth_scrolling" {
  type        = null_or(bool)
  description = "Animate scrolling by page (smooth scrolling). Sets `NSGlobalDomain` `NSScrollAnimationEnabled` (bool)."
}

option "macos.global.window_tabbing_mode" {
  type        = null_or(enum(["manual", "always", "fullscreen"]))
  description = "When documents open in tabs: `always`, `fullscreen` (only in full screen) or `manual`. Sets `NSGlobalDomain` `AppleWindowTabbingMode` (string)."
}

option "macos.global.window_animations" {
  type        = null_or(bool)
  description = "Animate opening and closing windows and popovers. Sets `NSGlobalDomain` `NSAutomaticWindowAnimationsEnabled` (bool)."
}

option "macos.global.window_resize_time" {
  type        = null_or(float)
  description = "Seconds the resize animation of windows and sheets lasts. Sets `NSGlobalDomain` `NSWindowResizeTime` (real)."
  example     = 0.001
}

option "macos.global.drag_windows_with_gesture" {
  type        = null_or(bool)
  description = "Move a window by Control-Command-dragging anywhere in it. Sets `NSGlobalDomain` `NSWindowShouldDragOnGesture` (bool)."
}

option "macos.global.switch_to_space_with_app_windows" {
  type        = null_or(bool)
  description = "Switching to an application switches to a Space that has its windows open. Sets `NSGlobalDomain` `AppleSpacesSwitchOnActivate` (bool)."
}

option "macos.global.sidebar_icon_size" {
  type        = null_or(enum(["small", "medium", "large"]))
  description = "Size of icons in Finder and Mail sidebars. Sets `NSGlobalDomain` `NSTableViewDefaultSizeMode` (integer: `small` = 1, `medium` = 2, `large` = 3)."
}

option "macos.global.font_smoothing" {
  type        = null_or(int)
  description = "Font smoothing: 0 off, 1 light, 2 medium (for non-Apple displays). Sets `NSGlobalDomain` `AppleFontSmoothing` (integer)."
  example     = 0
}

option "macos.global.beep_volume" {
  type        = null_or(float)
  description = "Volume of alert sounds, from 0 to 1. Sets `NSGlobalDomain` `com.apple.sound.beep.volume` (real)."
  example     = 0.5
}

option "macos.global.volume_change_feedback" {
  type        = null_or(bool)
  description = "Play a sound when the volume is changed with the keyboard. Sets `NSGlobalDomain` `com.apple.sound.beep.feedback` (integer: 1 when true, 0 when false)."
}

option "macos.global.spring_loading" {
  type        = null_or(bool)
  description = "Spring-loaded folders: holding a dragged item over a folder opens it. Sets `NSGlobalDomain` `com.apple.springing.enabled` (bool)."
}

option "macos.global.spring_loading_delay" {
  type        = null_or(float)
  description = "Seconds before a spring-loaded folder opens. Sets `NSGlobalDomain` `com.apple.springing.delay` (real)."
  example     = 0.5
}

option "macos.global.disable_automatic_termination" {
  type        = null_or(bool)
  description = "Keep macOS from quitting idle applications that support automatic termination. Sets `NSGlobalDomain` `NSDisableAutomaticTermination` (bool)."
}

option "macos.global.animated_focus_ring" {
  type        = null_or(bool)
  description = "Animate the focus ring when focus moves. Sets `NSGlobalDomain` `NSUseAnimatedFocusRing` (bool)."
}

option "macos.global.show_control_characters" {
  type        = null_or(bool)
  description = "Show control characters in text views as escapes (e.g. `^M`). Sets `NSGlobalDomain` `NSTextShowsControlCharacters` (bool)."
}

locals {
  sidebar_icon_sizes = {
    small  = 1
    medium = 2
    large  = 3
  }
  # The preference values of the options above, keyed by plist key;
  # unset options are left out.
  global = { for k, v in {
    AppleInterfaceStyle                       = config.macos.global.interface_style
    AppleInterfaceStyleSwitchesAutomatically  = config.macos.global.auto_switch_appearance
    AppleShowAllExtensions                    = config.macos.global.show_all_extensions
    AppleShowAllFiles                         = config.macos.global.show_all_files
    KeyRepeat                                 = config.macos.global.key_repeat
    InitialKeyRepeat                          = config.macos.global.initial_key_repeat
    ApplePressAndHoldEnabled                  = config.macos.global.press_and_hold
    AppleKeyboardUIMode                       = config.macos.global.full_keyboard_access == null ? null : (config.macos.global.full_keyboard_access ? 3 : 0)
    "com.apple.keyboard.fnState"              = config.macos.global.fn_keys_standard
    NSAutomaticCapitalizationEnabled          = config.macos.global.auto_capitalization
    NSAutomaticSpellingCorrectionEnabled      = config.macos.global.auto_spelling_correction
    NSAutomaticPeriodSubstitutionEnabled      = config.macos.global.auto_period_substitution
    NSAutomaticQuoteSubstitutionEnabled       = config.macos.global.smart_quotes
    NSAutomaticDashSubstitutionEnabled        = config.macos.global.smart_dashes
    NSAutomaticInlinePredictionEnabled        = config.macos.global.inline_prediction
    "com.apple.swipescrolldirection"          = config.macos.global.natural_scrolling
    "com.apple.mouse.tapBehavior"             = config.macos.global.tap_to_click == null ? null : (config.macos.global.tap_to_click ? 1 : 0)
    "com.apple.trackpad.scaling"              = real(config.macos.global.trackpad_speed)
    "com.apple.trackpad.enableSecondaryClick" = config.macos.global.trackpad_secondary_click
    "com.apple.trackpad.forceClick"           = config.macos.global.force_click
    AppleEnableSwipeNavigateWithScrolls       = config.macos.global.swipe_to_navigate
    AppleEnableMouseSwipeNavigateWithScrolls  = config.macos.global.mouse_swipe_to_navigate
    AppleMeasurementUnits                     = config.macos.global.measurement_units
    AppleMetricUnits                          = config.macos.global.metric_units
    AppleTemperatureUnit                      = config.macos.global.temperature_unit
    AppleICUForce24HourTime                   = config.macos.global.use_24_hour_clock
    NSNavPanelExpandedStateForSaveMode        = config.macos.global.expand_save_panel
    NSNavPanelExpandedStateForSaveMode2       = config.macos.global.expand_save_panel
    PMPrintingExpandedStateForPrint           = config.macos.global.expand_print_panel
    PMPrintingExpandedStateForPrint2          = config.macos.global.expand_print_panel
    NSDocumentSaveNewDocumentsToCloud         = config.macos.global.save_new_documents_to_icloud
    _HIHideMenuBar                            = config.macos.global.hide_menu_bar
    AppleShowScrollBars                       = config.macos.global.show_scroll_bars
    AppleScrollerPagingBehavior               = config.macos.global.click_scroll_bar_to_jump
    NSScrollAnimationEnabled                  = config.macos.global.smooth_scrolling
    AppleWindowTabbingMode                    = config.macos.global.window_tabbing_mode
    NSAutomaticWindowAnimationsEnabled        = config.macos.global.window_animations
    NSWindowResizeTime                        = real(config.macos.global.window_resize_time)
    NSWindowShouldDragOnGesture               = config.macos.global.drag_windows_with_gesture
    AppleSpacesSwitchOnActivate               = config.macos.global.switch_to_space_with_app_windows
    NSTableViewDefaultSizeMode                = config.macos.global.sidebar_icon_size == null ? null : local.sidebar_icon_sizes[config.macos.global.sidebar_icon_size]
    AppleFontSmoothing                        = config.macos.global.font_smoothing
    "com.apple.sound.beep.volume"             = real(config.macos.global.beep_volume)
    "com.apple.sound.beep.feedback"           = config.macos.global.volume_change_feedback == null ? null : (config.macos.global.volume_change_feedback ? 1 : 0)
    "com.apple.springing.enabled"             = config.macos.global.spring_loading
    "com.apple.springing.delay"               = real(config.macos.global.spring_loading_delay)
    NSDisableAutomaticTermination             = config.macos.global.disable_automatic_termination
    NSUseAnimatedFocusRing                    = config.macos.global.animated_focus_ring
    NSTextShowsControlCharacters              = config.macos.global.show_control_characters
  } : k => v if v != null }
}

macos {
  defaults = {
    "NSGlobalDomain" = when(length(keys(local.global)) > 0, local.global)
  }
}

assert {
  condition = config.macos.global.font_smoothing == null || contains([0, 1, 2], coalesce(config.macos.global.font_smoothing, 0))
  message   = "must be 0, 1 or 2."
  at        = "macos.global.font_smoothing"
}
