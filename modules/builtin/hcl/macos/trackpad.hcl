# Typed options for the trackpad (nix-darwin's system.defaults.trackpad),
# mapped onto macos.defaults for both the built-in trackpad's domain and
# the Bluetooth (Magic Trackpad) domain, as System Settings writes them.
# Unset options leave their key unmanaged.

option "macos.trackpad.tap_to_click" {
  type        = null_or(bool)
  description = "Tapping the trackpad clicks (see also `macos.global.tap_to_click`, the global domain's key). Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `Clicking` (bool)."
}

option "macos.trackpad.tap_to_drag" {
  type        = null_or(bool)
  description = "Double-tap and drag moves items (tap to drag). Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `Dragging` (bool)."
}

option "macos.trackpad.right_click" {
  type        = null_or(bool)
  description = "Clicking or tapping with two fingers is a secondary (right) click. Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `TrackpadRightClick` (bool)."
}

option "macos.trackpad.three_finger_drag" {
  type        = null_or(bool)
  description = "Drag windows and items with three fingers. Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `TrackpadThreeFingerDrag` (bool)."
}

option "macos.trackpad.three_finger_tap_look_up" {
  type        = null_or(bool)
  description = "Tapping with three fingers looks up the word under the pointer. Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `TrackpadThreeFingerTapGesture` (integer: 2 when true, 0 when false)."
}

option "macos.trackpad.silent_clicking" {
  type        = null_or(bool)
  description = "Quieter clicks on Force Touch trackpads. Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `ActuationStrength` (integer: 0 when true, 1 when false)."
}

option "macos.trackpad.click_pressure" {
  type        = null_or(enum(["light", "medium", "firm"]))
  description = "Pressure a click needs on Force Touch trackpads. Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `FirstClickThreshold` (integer: `light` = 0, `medium` = 1, `firm` = 2)."
}

option "macos.trackpad.force_click_pressure" {
  type        = null_or(enum(["light", "medium", "firm"]))
  description = "Pressure a Force Click needs on Force Touch trackpads. Sets `com.apple.AppleMultitouchTrackpad` and `com.apple.driver.AppleBluetoothMultitouch.trackpad` `SecondClickThreshold` (integer: `light` = 0, `medium` = 1, `firm` = 2)."
}

locals {
  click_pressures = {
    light  = 0
    medium = 1
    firm   = 2
  }
  # The preference values of the options above, keyed by plist key;
  # unset options are left out.
  trackpad = { for k, v in {
    Clicking                      = config.macos.trackpad.tap_to_click
    Dragging                      = config.macos.trackpad.tap_to_drag
    TrackpadRightClick            = config.macos.trackpad.right_click
    TrackpadThreeFingerDrag       = config.macos.trackpad.three_finger_drag
    TrackpadThreeFingerTapGesture = config.macos.trackpad.three_finger_tap_look_up == null ? null : (config.macos.trackpad.three_finger_tap_look_up ? 2 : 0)
    ActuationStrength             = config.macos.trackpad.silent_clicking == null ? null : (config.macos.trackpad.silent_clicking ? 0 : 1)
    FirstClickThreshold           = config.macos.trackpad.click_pressure == null ? null : local.click_pressures[config.macos.trackpad.click_pressure]
    SecondClickThreshold          = config.macos.trackpad.force_click_pressure == null ? null : local.click_pressures[config.macos.trackpad.force_click_pressure]
  } : k => v if v != null }
}

macos {
  defaults = {
    "com.apple.AppleMultitouchTrackpad"                  = when(length(keys(local.trackpad)) > 0, local.trackpad)
    "com.apple.driver.AppleBluetoothMultitouch.trackpad" = when(length(keys(local.trackpad)) > 0, local.trackpad)
  }
}
