# Finder.
macos {
  finder {
    show_all_extensions      = true
    show_path_bar            = true
    show_status_bar          = true
    preferred_view_style     = "list"
    default_search_scope     = "current_folder"
    warn_on_extension_change = false
    sort_folders_first       = true
  }
}
