# Keyboard remapping, as nix-darwin's system.keyboard: user_key_mapping is
# applied with `hidutil property --set '{"UserKeyMapping": [...]}'` and by a
# LaunchAgent (org.gocfg.keyboard, declared below) that does the same at
# every login, since a restart clears the mapping. Keys are HID usages of
# page 7 (keyboard): 0x700000000 | usage.

option "macos.keyboard.user_key_mapping" {
  type = list_of(submodule({
    src = {
      type        = int
      description = "HID usage of the key pressed (`HIDKeyboardModifierMappingSrc`), 0x700000000 | usage, e.g. 30064771129 (0x700000039) for Caps Lock."
    }
    dst = {
      type        = int
      description = "HID usage of the key it acts as (`HIDKeyboardModifierMappingDst`), e.g. 30064771113 (0x700000029) for Escape."
    }
  }))
  default     = []
  description = "Key remappings given to `hidutil` as `UserKeyMapping`, each `{ src, dst }` a pair of HID usages. The `macos.keyboard.*` options below add entries here; an empty list clears gocfg's mapping."
  example     = [{ src = 30064771129, dst = 30064771113 }]
}

option "macos.keyboard.enable_key_mapping" {
  type        = bool
  default     = false
  description = "Whether the `remap_*` and `swap_*` options of `macos.keyboard` take effect (as nix-darwin's `system.keyboard.enableKeyMapping`)."
}

option "macos.keyboard.remap_caps_lock_to_escape" {
  type        = bool
  default     = false
  description = "Make Caps Lock act as Escape. Needs `macos.keyboard.enable_key_mapping`."
}

option "macos.keyboard.remap_caps_lock_to_control" {
  type        = bool
  default     = false
  description = "Make Caps Lock act as Left Control. Needs `macos.keyboard.enable_key_mapping`."
}

option "macos.keyboard.swap_left_command_and_left_alt" {
  type        = bool
  default     = false
  description = "Swap Left Command and Left Option (Alt). Needs `macos.keyboard.enable_key_mapping`."
}

locals {
  # HID usages, 0x700000000 | key (HCL has no hex literals).
  caps_lock    = parseint("700000039", 16)
  escape       = parseint("700000029", 16)
  left_control = parseint("7000000E0", 16)
  left_option  = parseint("7000000E2", 16)
  left_command = parseint("7000000E3", 16)
  # src and dst have no default: a mapping without both, by its place
  # in the list (from 1).
  key_mapping_incomplete = [for i, m in config.macos.keyboard.user_key_mapping : i + 1 if m.src == null || m.dst == null]
}

assert {
  condition = length(local.key_mapping_incomplete) == 0
  message   = "each mapping sets both src and dst (not mapping ${join(", ", local.key_mapping_incomplete)}, counting from 1)."
  at        = "macos.keyboard.user_key_mapping"
}

macos {
  keyboard {
    user_key_mapping = when(config.macos.keyboard.enable_key_mapping, concat(
      config.macos.keyboard.remap_caps_lock_to_escape ? [{ src = local.caps_lock, dst = local.escape }] : [],
      config.macos.keyboard.remap_caps_lock_to_control ? [{ src = local.caps_lock, dst = local.left_control }] : [],
      config.macos.keyboard.swap_left_command_and_left_alt ? [
        { src = local.left_command, dst = local.left_option },
        { src = local.left_option, dst = local.left_command },
      ] : [],
    ))
  }

  # The mapping survives a restart: the agent sets it again at login. It
  # exists only while there is a mapping, so emptying the option removes
  # it (and the keyboard applier clears the live mapping).
  launchd {
    agents "org.gocfg.keyboard" {
      when = length(config.macos.keyboard.user_key_mapping) > 0
      program_arguments = ["/usr/bin/hidutil", "property", "--set", jsonencode({
        UserKeyMapping = [for m in config.macos.keyboard.user_key_mapping : {
          HIDKeyboardModifierMappingSrc = m.src
          HIDKeyboardModifierMappingDst = m.dst
        }]
      })]
      run_at_load = true
    }
  }
}

assert {
  condition = !(config.macos.keyboard.remap_caps_lock_to_escape && config.macos.keyboard.remap_caps_lock_to_control)
  message   = "remap_caps_lock_to_escape and remap_caps_lock_to_control both remap Caps Lock; set only one."
  at        = "macos.keyboard.remap_caps_lock_to_control"
}
