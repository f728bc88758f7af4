# NSGlobalDomain, the trackpad and screenshots.
macos {
  global {
    interface_style          = "Dark"
    key_repeat               = 2
    initial_key_repeat       = 15
    press_and_hold           = false # key repeat instead of the accent menu
    auto_spelling_correction = false
    smart_quotes             = false
    smart_dashes             = false
    expand_save_panel        = true
    use_24_hour_clock        = true
  }

  trackpad {
    tap_to_click      = true
    three_finger_drag = true
  }

  screencapture {
    location = "~/Pictures/Screenshots"
    format   = "png"
  }
}
