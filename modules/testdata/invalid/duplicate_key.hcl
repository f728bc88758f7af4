users = {
  alice = {}
  alice = {} # ERROR: Duplicate key
}
