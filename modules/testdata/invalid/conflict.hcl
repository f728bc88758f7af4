networking {
  host_name = "atlas"
}
networking {
  host_name = "hermes" # ERROR: Conflicting definitions of networking.host_name
}
