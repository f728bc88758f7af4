imports = ["./${host.name}.hcl"] # ERROR: imports must be a list of literal paths
