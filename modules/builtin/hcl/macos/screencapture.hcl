# Typed options for screenshots (nix-darwin's
# system.defaults.screencapture), mapped onto
# macos.defaults."com.apple.screencapture". Unset options leave their key
# unmanaged.

option "macos.screencapture.location" {
  type        = null_or(str)
  description = "Folder that screenshots are saved in; `~` is expanded by macOS. Sets `com.apple.screencapture` `location` (string)."
  example     = "~/Pictures/Screenshots"
}

option "macos.screencapture.format" {
  type        = null_or(enum(["png", "jpg", "gif", "pdf", "tiff", "heic", "bmp"]))
  description = "File format of screenshots. Sets `com.apple.screencapture` `type` (string)."
}

option "macos.screencapture.target" {
  type        = null_or(enum(["file", "clipboard", "preview", "mail", "messages"]))
  description = "Where screenshots go: a file in `location`, the clipboard, Preview, Mail or Messages. Sets `com.apple.screencapture` `target` (string)."
}

option "macos.screencapture.name" {
  type        = null_or(str)
  description = "File name prefix of screenshots (macOS's default is `Screenshot`). Sets `com.apple.screencapture` `name` (string)."
}

option "macos.screencapture.disable_shadow" {
  type        = null_or(bool)
  description = "Leave out the shadow in screenshots of windows. Sets `com.apple.screencapture` `disable-shadow` (bool)."
}

option "macos.screencapture.show_thumbnail" {
  type        = null_or(bool)
  description = "Show a floating thumbnail after taking a screenshot. Sets `com.apple.screencapture` `show-thumbnail` (bool)."
}

option "macos.screencapture.include_date" {
  type        = null_or(bool)
  description = "Put the date and time in screenshot file names. Sets `com.apple.screencapture` `include-date` (bool)."
}

option "macos.screencapture.show_cursor" {
  type        = null_or(bool)
  description = "Show the mouse pointer in screenshots and recordings. Sets `com.apple.screencapture` `showsCursor` (bool)."
}

locals {
  # The preference values of the options above, keyed by plist key;
  # unset options are left out.
  screencapture = { for k, v in {
    location         = config.macos.screencapture.location
    type             = config.macos.screencapture.format
    target           = config.macos.screencapture.target
    name             = config.macos.screencapture.name
    "disable-shadow" = config.macos.screencapture.disable_shadow
    "show-thumbnail" = config.macos.screencapture.show_thumbnail
    "include-date"   = config.macos.screencapture.include_date
    showsCursor      = config.macos.screencapture.show_cursor
  } : k => v if v != null }
}

macos {
  defaults = {
    "com.apple.screencapture" = when(length(keys(local.screencapture)) > 0, local.screencapture)
  }
}
