# A key written twice inside a for-expression is found as outside one.
users = {
  for name in ["alice", "bob"] : name => {
    uid = 1000
    uid = 1001 # ERROR: Duplicate key
  }
}
