networking {
  host_name "atlas" # ERROR: Invalid block definition
}
