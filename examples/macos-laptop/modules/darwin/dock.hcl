# Dock, Mission Control and hot corners.
macos {
  dock {
    autohide                = default(false)
    tile_size               = default(48)
    orientation             = "bottom"
    show_recents            = false
    minimize_to_application = true
    auto_rearrange_spaces   = false
    hot_corner_bottom_right = "quick_note"
    hot_corner_top_right    = "lock_screen"

    persistent_apps = [
      "/Applications/Safari.app",
      "/System/Applications/Mail.app",
      "/System/Applications/Calendar.app",
      "/Applications/Ghostty.app",
    ]
  }
}
