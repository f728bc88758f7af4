# Imports name .hcl files or folders; a device would be read until
# memory runs out.
imports = [
  "/dev/zero", # ERROR: Cannot import
]
