# Typed convenience options map onto the primitive macos.defaults.
macos {
  dock {
    autohide       = true
    autohide_delay = 0
    tile_size      = 48
  }
  touch_id_sudo = true
  defaults "com.apple.dock" {
    orientation = "left"
  }
  defaults = {
    "com.apple.print.PrintingPrefs" = { "Quit When Finished" = true }
  }
}
