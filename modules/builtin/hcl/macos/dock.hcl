# Typed options for the Dock and Mission Control (nix-darwin's
# system.defaults.dock), mapped onto macos.defaults."com.apple.dock".
# Unset options leave their key unmanaged.

option "macos.dock.autohide" {
  type        = null_or(bool)
  description = "Hide the Dock automatically; it appears when the pointer reaches its screen edge. Sets `com.apple.dock` `autohide` (bool)."
}

option "macos.dock.autohide_delay" {
  type        = null_or(float)
  description = "Seconds before the hidden Dock appears when the pointer reaches its screen edge; 0 shows it at once. Sets `com.apple.dock` `autohide-delay` (real)."
  example     = 0
}

option "macos.dock.autohide_time_modifier" {
  type        = null_or(float)
  description = "Seconds the Dock's hide and show animation lasts; 0 turns the animation off. Sets `com.apple.dock` `autohide-time-modifier` (real)."
  example     = 0.15
}

option "macos.dock.orientation" {
  type        = null_or(enum(["bottom", "left", "right"]))
  description = "Screen edge the Dock sits on. Sets `com.apple.dock` `orientation` (string)."
}

option "macos.dock.tile_size" {
  type        = null_or(int)
  description = "Size of the Dock's icons in points, 16 to 128. Sets `com.apple.dock` `tilesize` (integer)."
  example     = 48
}

option "macos.dock.magnification" {
  type        = null_or(bool)
  description = "Magnify the Dock's icons under the pointer. Sets `com.apple.dock` `magnification` (bool)."
}

option "macos.dock.large_size" {
  type        = null_or(int)
  description = "Size of magnified icons in points, 16 to 128 (with `magnification`). Sets `com.apple.dock` `largesize` (integer)."
  example     = 64
}

option "macos.dock.minimize_effect" {
  type        = null_or(enum(["genie", "scale", "suck"]))
  description = "Animation of windows minimizing into the Dock. Sets `com.apple.dock` `mineffect` (string)."
}

option "macos.dock.minimize_to_application" {
  type        = null_or(bool)
  description = "Minimize windows into their application's icon instead of into tiles of their own. Sets `com.apple.dock` `minimize-to-application` (bool)."
}

option "macos.dock.show_recents" {
  type        = null_or(bool)
  description = "Show recent applications in a section of their own in the Dock. Sets `com.apple.dock` `show-recents` (bool)."
}

option "macos.dock.show_process_indicators" {
  type        = null_or(bool)
  description = "Show a dot under the icons of running applications. Sets `com.apple.dock` `show-process-indicators` (bool)."
}

option "macos.dock.show_only_open_apps" {
  type        = null_or(bool)
  description = "Show only running applications in the Dock, not the ones kept in it. Sets `com.apple.dock` `static-only` (bool)."
}

option "macos.dock.show_hidden_apps_translucent" {
  type        = null_or(bool)
  description = "Show the icons of hidden applications translucent. Sets `com.apple.dock` `showhidden` (bool)."
}

option "macos.dock.animate_app_launch" {
  type        = null_or(bool)
  description = "Bounce the icons of applications while they open. Sets `com.apple.dock` `launchanim` (bool)."
}

option "macos.dock.auto_rearrange_spaces" {
  type        = null_or(bool)
  description = "Rearrange Spaces automatically by most recent use (Mission Control). Sets `com.apple.dock` `mru-spaces` (bool)."
}

option "macos.dock.group_windows_by_app" {
  type        = null_or(bool)
  description = "Group windows by application in Mission Control. Sets `com.apple.dock` `expose-group-apps` (bool)."
}

option "macos.dock.expose_animation_duration" {
  type        = null_or(float)
  description = "Seconds the Mission Control animation lasts. Sets `com.apple.dock` `expose-animation-duration` (real)."
  example     = 0.1
}

option "macos.dock.highlight_stack_on_hover" {
  type        = null_or(bool)
  description = "Highlight the item under the pointer in a stack's grid view. Sets `com.apple.dock` `mouse-over-hilite-stack` (bool)."
}

option "macos.dock.scroll_to_open" {
  type        = null_or(bool)
  description = "Scrolling up on a Dock icon shows that application's windows or opens the stack. Sets `com.apple.dock` `scroll-to-open` (bool)."
}

option "macos.dock.spring_load_all_items" {
  type        = null_or(bool)
  description = "Spring loading for every Dock item: holding a dragged file over an icon opens it. Sets `com.apple.dock` `enable-spring-load-actions-on-all-items` (bool)."
}

option "macos.dock.app_switcher_on_all_displays" {
  type        = null_or(bool)
  description = "Show the Command-Tab application switcher on every display, not only the main one. Sets `com.apple.dock` `appswitcher-all-displays` (bool)."
}

option "macos.dock.slow_motion_allowed" {
  type        = null_or(bool)
  description = "Holding Shift slows down Dock and Mission Control animations. Sets `com.apple.dock` `slow-motion-allowed` (bool)."
}

option "macos.dock.persistent_apps" {
  type        = null_or(list_of(str))
  description = "Applications kept in the Dock, in order, as absolute paths such as `/Applications/Safari.app` (`~` is not expanded; a space is written `%20` in the Dock's URL, as the Dock does); an empty list removes them all. Sets `com.apple.dock` `persistent-apps` (array of tile dictionaries); a tile is compared by its type and URL, so the keys the Dock adds once it reads one (`GUID`, `file-label`, a URL's last `/`) are not drift."
  example     = ["/Applications/Safari.app", "/System/Applications/Mail.app"]
}

option "macos.dock.persistent_others" {
  type        = null_or(list_of(str))
  description = "Folders and files kept in the Dock after the separator, in order, as absolute paths; a last path segment with an extension is a file, otherwise a folder. Sets `com.apple.dock` `persistent-others` (array of tile dictionaries), compared as `persistent_apps`' tiles are."
  example     = ["/Users/alice/Downloads"]
}

option "macos.dock.hot_corner_top_left" {
  type        = null_or(enum(["disabled", "mission_control", "application_windows", "desktop", "start_screen_saver", "disable_screen_saver", "put_display_to_sleep", "launchpad", "notification_center", "lock_screen", "quick_note"]))
  description = "Action of the top-left hot corner. Sets `com.apple.dock` `wvous-tl-corner` (integer: `disabled` = 1, `mission_control` = 2, `application_windows` = 3, `desktop` = 4, `start_screen_saver` = 5, `disable_screen_saver` = 6, `put_display_to_sleep` = 10, `launchpad` = 11, `notification_center` = 12, `lock_screen` = 13, `quick_note` = 14)."
  example     = "mission_control"
}

option "macos.dock.hot_corner_top_right" {
  type        = type_of("macos.dock.hot_corner_top_left")
  description = "Action of the top-right hot corner. Sets `com.apple.dock` `wvous-tr-corner` (integer: `disabled` = 1, `mission_control` = 2, `application_windows` = 3, `desktop` = 4, `start_screen_saver` = 5, `disable_screen_saver` = 6, `put_display_to_sleep` = 10, `launchpad` = 11, `notification_center` = 12, `lock_screen` = 13, `quick_note` = 14)."
  example     = "mission_control"
}

option "macos.dock.hot_corner_bottom_left" {
  type        = type_of("macos.dock.hot_corner_top_left")
  description = "Action of the bottom-left hot corner. Sets `com.apple.dock` `wvous-bl-corner` (integer: `disabled` = 1, `mission_control` = 2, `application_windows` = 3, `desktop` = 4, `start_screen_saver` = 5, `disable_screen_saver` = 6, `put_display_to_sleep` = 10, `launchpad` = 11, `notification_center` = 12, `lock_screen` = 13, `quick_note` = 14)."
  example     = "mission_control"
}

option "macos.dock.hot_corner_bottom_right" {
  type        = type_of("macos.dock.hot_corner_top_left")
  description = "Action of the bottom-right hot corner. Sets `com.apple.dock` `wvous-br-corner` (integer: `disabled` = 1, `mission_control` = 2, `application_windows` = 3, `desktop` = 4, `start_screen_saver` = 5, `disable_screen_saver` = 6, `put_display_to_sleep` = 10, `launchpad` = 11, `notification_center` = 12, `lock_screen` = 13, `quick_note` = 14)."
  example     = "mission_control"
}

locals {
  hot_corner_actions = {
    disabled             = 1
    mission_control      = 2
    application_windows  = 3
    desktop              = 4
    start_screen_saver   = 5
    disable_screen_saver = 6
    put_display_to_sleep = 10
    launchpad            = 11
    notification_center  = 12
    lock_screen          = 13
    quick_note           = 14
  }

  # Dock tiles of persistent_apps and persistent_others.
  persistent_apps = config.macos.dock.persistent_apps == null ? null : [
    for app in config.macos.dock.persistent_apps : {
      "tile-type" = "file-tile"
      "tile-data" = { "file-data" = { _CFURLString = "file://${replace(replace(app, "%", "%25"), " ", "%20")}", _CFURLStringType = 15 } }
    }
  ]
  persistent_others = config.macos.dock.persistent_others == null ? null : [
    for p in config.macos.dock.persistent_others : {
      "tile-type" = can(regex("\\.[^/]+$", p)) ? "file-tile" : "directory-tile"
      "tile-data" = { "file-data" = { _CFURLString = "file://${replace(replace(p, "%", "%25"), " ", "%20")}", _CFURLStringType = 15 } }
    }
  ]
  # Dock paths that are not absolute ("Safari.app", "~/Downloads"): the
  # Dock reads file://Safari.app as no file at all.
  dock_relative = [for p in concat(coalesce(config.macos.dock.persistent_apps, []), coalesce(config.macos.dock.persistent_others, [])) : p if !startswith(p, "/")]

  # The preference values of the options above, keyed by plist key;
  # unset options are left out.
  dock = { for k, v in {
    autohide                                  = config.macos.dock.autohide
    "autohide-delay"                          = real(config.macos.dock.autohide_delay)
    "autohide-time-modifier"                  = real(config.macos.dock.autohide_time_modifier)
    orientation                               = config.macos.dock.orientation
    tilesize                                  = config.macos.dock.tile_size
    magnification                             = config.macos.dock.magnification
    largesize                                 = config.macos.dock.large_size
    mineffect                                 = config.macos.dock.minimize_effect
    "minimize-to-application"                 = config.macos.dock.minimize_to_application
    "show-recents"                            = config.macos.dock.show_recents
    "show-process-indicators"                 = config.macos.dock.show_process_indicators
    "static-only"                             = config.macos.dock.show_only_open_apps
    showhidden                                = config.macos.dock.show_hidden_apps_translucent
    launchanim                                = config.macos.dock.animate_app_launch
    "mru-spaces"                              = config.macos.dock.auto_rearrange_spaces
    "expose-group-apps"                       = config.macos.dock.group_windows_by_app
    "expose-animation-duration"               = real(config.macos.dock.expose_animation_duration)
    "mouse-over-hilite-stack"                 = config.macos.dock.highlight_stack_on_hover
    "scroll-to-open"                          = config.macos.dock.scroll_to_open
    "enable-spring-load-actions-on-all-items" = config.macos.dock.spring_load_all_items
    "appswitcher-all-displays"                = config.macos.dock.app_switcher_on_all_displays
    "slow-motion-allowed"                     = config.macos.dock.slow_motion_allowed
    "persistent-apps"                         = local.persistent_apps
    "persistent-others"                       = local.persistent_others
    "wvous-tl-corner"                         = config.macos.dock.hot_corner_top_left == null ? null : local.hot_corner_actions[config.macos.dock.hot_corner_top_left]
    "wvous-tr-corner"                         = config.macos.dock.hot_corner_top_right == null ? null : local.hot_corner_actions[config.macos.dock.hot_corner_top_right]
    "wvous-bl-corner"                         = config.macos.dock.hot_corner_bottom_left == null ? null : local.hot_corner_actions[config.macos.dock.hot_corner_bottom_left]
    "wvous-br-corner"                         = config.macos.dock.hot_corner_bottom_right == null ? null : local.hot_corner_actions[config.macos.dock.hot_corner_bottom_right]
  } : k => v if v != null }
}

macos {
  defaults = {
    "com.apple.dock" = when(length(keys(local.dock)) > 0, local.dock)
  }
}

assert {
  condition = length(local.dock_relative) == 0
  message   = "the Dock takes absolute paths, such as \"/Applications/Safari.app\" or \"/Users/alice/Downloads\" (not ${join(", ", [for p in local.dock_relative : jsonencode(p)])}): \"~\" is not expanded."
  at        = concat(length([for p in coalesce(config.macos.dock.persistent_apps, []) : p if !startswith(p, "/")]) > 0 ? ["macos.dock.persistent_apps"] : [], length([for p in coalesce(config.macos.dock.persistent_others, []) : p if !startswith(p, "/")]) > 0 ? ["macos.dock.persistent_others"] : [])
}

assert {
  condition = config.macos.dock.tile_size == null || (coalesce(config.macos.dock.tile_size, 0) >= 16 && coalesce(config.macos.dock.tile_size, 0) <= 128)
  message   = "must be between 16 and 128."
  at        = "macos.dock.tile_size"
}

assert {
  condition = config.macos.dock.large_size == null || (coalesce(config.macos.dock.large_size, 0) >= 16 && coalesce(config.macos.dock.large_size, 0) <= 128)
  message   = "must be between 16 and 128."
  at        = "macos.dock.large_size"
}
