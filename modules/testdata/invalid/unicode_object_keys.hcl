# Keys of one object that differ only in Unicode normalization are one
# key: "josé" with é (U+00E9), and with e and a combining acute accent.
users = {
  "jos\u00e9" = {}
  "jose\u0301" = {} # ERROR: Same name in two Unicode spellings
}
option "prefs" {
  type = anything
}
prefs = {
  list = [{
    "na\u00efve" = 1
    "nai\u0308ve" = 2 # ERROR: Same name in two Unicode spellings
    "na\u00efve" = 3  # ERROR: Duplicate key
  }]
}
