networking {
  host_name = null
}
networking {
  host_name = "atlas" # ERROR: Option defined both null and not null
}
