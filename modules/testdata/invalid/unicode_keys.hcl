# Keys that differ only in Unicode normalization are one name: ".café"
# with é (U+00E9), and with e and a combining acute accent (U+0301).
home "alice" {
  files ".caf\u00e9" { text = "NFC" }
  files ".cafe\u0301" { text = "NFD" } # ERROR: Same name in two Unicode spellings
}

environment {
  etc = {
    "caf\u00e9.conf" = { text = "NFC" }
  }
}
environment {
  etc "cafe\u0301.conf" { # ERROR: Same name in two Unicode spellings
    text = "NFD"
  }
}

