# An empty import is an error, not this module's own folder.
imports = [
  "", # ERROR: Empty import
]
