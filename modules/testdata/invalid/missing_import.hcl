imports = [
  "./nowhere.hcl", # ERROR: Import not found
]
