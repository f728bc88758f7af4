# Caps Lock is Escape (for vim), and sudo asks for a fingerprint, inside
# tmux too.
macos {
  keyboard {
    enable_key_mapping        = true
    remap_caps_lock_to_escape = true
  }

  touch_id_sudo          = true
  touch_id_sudo_reattach = true
}

environment {
  system_packages = ["pam-reattach"]
}
