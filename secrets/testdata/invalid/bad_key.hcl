recipients = {
  alice = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvf"
  typo  = "age1wyzwfy4lzar5vfup4sq3tyjhef6pym5y0jw4tf7lhq9u7x2ngu7qc7gnvfx" # ERROR: Invalid recipient
  mine  = "AGE-SECRET-KEY-1TXZM5QTUJ8JCG2S6H0KQA42UNYZK5VNZDG5JMPKJGVJVY29GLQ8S6ZY7HK" # ERROR: Private key instead of a public key
  ecdsa = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY= root@h" # ERROR: Invalid recipient
  num   = 42 # ERROR: Invalid recipient
}
secret "a.age" {
  recipients = [recipients.alice, "ssh-ed25519 AAAAnope"] # ERROR: Invalid recipient
}
