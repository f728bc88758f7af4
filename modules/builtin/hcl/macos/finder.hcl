# Typed options for Finder (nix-darwin's system.defaults.finder), mapped
# onto macos.defaults."com.apple.finder". Unset options leave their key
# unmanaged.

option "macos.finder.show_all_files" {
  type        = null_or(bool)
  description = "Show hidden files (such as dotfiles) in Finder. Sets `com.apple.finder` `AppleShowAllFiles` (bool)."
}

option "macos.finder.show_all_extensions" {
  type        = null_or(bool)
  description = "Show every file name extension in Finder (see also `macos.global.show_all_extensions`). Sets `com.apple.finder` `AppleShowAllExtensions` (bool)."
}

option "macos.finder.show_path_bar" {
  type        = null_or(bool)
  description = "Show the path bar at the bottom of Finder windows. Sets `com.apple.finder` `ShowPathbar` (bool)."
}

option "macos.finder.show_status_bar" {
  type        = null_or(bool)
  description = "Show the status bar at the bottom of Finder windows. Sets `com.apple.finder` `ShowStatusBar` (bool)."
}

option "macos.finder.show_posix_path_in_title" {
  type        = null_or(bool)
  description = "Show the full POSIX path in the title of Finder windows. Sets `com.apple.finder` `_FXShowPosixPathInTitle` (bool)."
}

option "macos.finder.preferred_view_style" {
  type        = null_or(enum(["icon", "list", "column", "gallery"]))
  description = "View of Finder windows that have none of their own. Sets `com.apple.finder` `FXPreferredViewStyle` (string: `icon` = \"icnv\", `list` = \"Nlsv\", `column` = \"clmv\", `gallery` = \"glyv\")."
}

option "macos.finder.default_search_scope" {
  type        = null_or(enum(["this_mac", "current_folder", "previous_scope"]))
  description = "Where a Finder search looks by default. Sets `com.apple.finder` `FXDefaultSearchScope` (string: `this_mac` = \"SCev\", `current_folder` = \"SCcf\", `previous_scope` = \"SCsp\")."
}

option "macos.finder.warn_on_extension_change" {
  type        = null_or(bool)
  description = "Ask before changing a file name extension. Sets `com.apple.finder` `FXEnableExtensionChangeWarning` (bool)."
}

option "macos.finder.warn_on_empty_trash" {
  type        = null_or(bool)
  description = "Ask before emptying the Trash. Sets `com.apple.finder` `WarnOnEmptyTrash` (bool)."
}

option "macos.finder.remove_old_trash_items" {
  type        = null_or(bool)
  description = "Remove items from the Trash after 30 days. Sets `com.apple.finder` `FXRemoveOldTrashItems` (bool)."
}

option "macos.finder.sort_folders_first" {
  type        = null_or(bool)
  description = "Keep folders on top when sorting Finder windows by name. Sets `com.apple.finder` `_FXSortFoldersFirst` (bool)."
}

option "macos.finder.sort_folders_first_on_desktop" {
  type        = null_or(bool)
  description = "Keep folders on top when sorting the desktop by name. Sets `com.apple.finder` `_FXSortFoldersFirstOnDesktop` (bool)."
}

option "macos.finder.show_quit_menu_item" {
  type        = null_or(bool)
  description = "Add Quit Finder to the Finder menu. Sets `com.apple.finder` `QuitMenuItem` (bool)."
}

option "macos.finder.show_desktop_icons" {
  type        = null_or(bool)
  description = "Show icons on the desktop; false leaves the desktop empty. Sets `com.apple.finder` `CreateDesktop` (bool)."
}

option "macos.finder.show_hard_drives_on_desktop" {
  type        = null_or(bool)
  description = "Show internal disks on the desktop. Sets `com.apple.finder` `ShowHardDrivesOnDesktop` (bool)."
}

option "macos.finder.show_external_drives_on_desktop" {
  type        = null_or(bool)
  description = "Show external disks on the desktop. Sets `com.apple.finder` `ShowExternalHardDrivesOnDesktop` (bool)."
}

option "macos.finder.show_removable_media_on_desktop" {
  type        = null_or(bool)
  description = "Show removable media (CDs, DVDs, iPods) on the desktop. Sets `com.apple.finder` `ShowRemovableMediaOnDesktop` (bool)."
}

option "macos.finder.show_servers_on_desktop" {
  type        = null_or(bool)
  description = "Show connected servers on the desktop. Sets `com.apple.finder` `ShowMountedServersOnDesktop` (bool)."
}

option "macos.finder.new_window_target" {
  type        = null_or(enum(["computer", "startup_disk", "home", "desktop", "documents", "recents", "icloud_drive", "other"]))
  description = "Folder that new Finder windows show; `other` means `new_window_target_path`, and is implied when only that is set. Sets `com.apple.finder` `NewWindowTarget` (string: `computer` = \"PfCm\", `startup_disk` = \"PfVo\", `home` = \"PfHm\", `desktop` = \"PfDe\", `documents` = \"PfDo\", `recents` = \"PfAF\", `icloud_drive` = \"PfID\", `other` = \"PfLo\")."
}

option "macos.finder.new_window_target_path" {
  type        = null_or(str)
  description = "Folder that new Finder windows show, as an absolute path or a `file://` URL; implies `new_window_target = \"other\"`. Sets `com.apple.finder` `NewWindowTargetPath` (string)."
  example     = "/Users/alice/src"
}

locals {
  view_styles = {
    icon    = "icnv"
    list    = "Nlsv"
    column  = "clmv"
    gallery = "glyv"
  }
  search_scopes = {
    this_mac       = "SCev"
    current_folder = "SCcf"
    previous_scope = "SCsp"
  }
  window_targets = {
    computer     = "PfCm"
    startup_disk = "PfVo"
    home         = "PfHm"
    desktop      = "PfDe"
    documents    = "PfDo"
    recents      = "PfAF"
    icloud_drive = "PfID"
    other        = "PfLo"
  }
  # The preference values of the options above, keyed by plist key;
  # unset options are left out.
  finder = { for k, v in {
    AppleShowAllFiles               = config.macos.finder.show_all_files
    AppleShowAllExtensions          = config.macos.finder.show_all_extensions
    ShowPathbar                     = config.macos.finder.show_path_bar
    ShowStatusBar                   = config.macos.finder.show_status_bar
    _FXShowPosixPathInTitle         = config.macos.finder.show_posix_path_in_title
    FXPreferredViewStyle            = config.macos.finder.preferred_view_style == null ? null : local.view_styles[config.macos.finder.preferred_view_style]
    FXDefaultSearchScope            = config.macos.finder.default_search_scope == null ? null : local.search_scopes[config.macos.finder.default_search_scope]
    FXEnableExtensionChangeWarning  = config.macos.finder.warn_on_extension_change
    WarnOnEmptyTrash                = config.macos.finder.warn_on_empty_trash
    FXRemoveOldTrashItems           = config.macos.finder.remove_old_trash_items
    _FXSortFoldersFirst             = config.macos.finder.sort_folders_first
    _FXSortFoldersFirstOnDesktop    = config.macos.finder.sort_folders_first_on_desktop
    QuitMenuItem                    = config.macos.finder.show_quit_menu_item
    CreateDesktop                   = config.macos.finder.show_desktop_icons
    ShowHardDrivesOnDesktop         = config.macos.finder.show_hard_drives_on_desktop
    ShowExternalHardDrivesOnDesktop = config.macos.finder.show_external_drives_on_desktop
    ShowRemovableMediaOnDesktop     = config.macos.finder.show_removable_media_on_desktop
    ShowMountedServersOnDesktop     = config.macos.finder.show_servers_on_desktop
    NewWindowTarget                 = config.macos.finder.new_window_target == null ? (config.macos.finder.new_window_target_path == null ? null : "PfLo") : local.window_targets[config.macos.finder.new_window_target]
    NewWindowTargetPath             = config.macos.finder.new_window_target_path == null || can(regex("^file://", config.macos.finder.new_window_target_path)) ? config.macos.finder.new_window_target_path : "file://${config.macos.finder.new_window_target_path}"
  } : k => v if v != null }
}

macos {
  defaults = {
    "com.apple.finder" = when(length(keys(local.finder)) > 0, local.finder)
  }
}

assert {
  condition = config.macos.finder.new_window_target != "other" || config.macos.finder.new_window_target_path != null
  message   = "\"other\" needs macos.finder.new_window_target_path."
  at        = "macos.finder.new_window_target"
}

assert {
  condition = config.macos.finder.new_window_target_path == null || config.macos.finder.new_window_target == null || config.macos.finder.new_window_target == "other"
  message   = "needs macos.finder.new_window_target to be \"other\" or unset."
  at        = "macos.finder.new_window_target_path"
}
