# Generations kept after a switch: NixOS keeps every generation until
# nix-collect-garbage runs (nix.gc.automatic runs it from a timer, off by
# default); gocfg keeps them until gocfg generations gc, and with
# generations.gc.automatic a switch that made a generation current runs
# that gc itself (cmd/gocfg/auto_gc.go).

option "generations.gc.automatic" {
  type        = bool
  default     = false
  description = "After each switch that makes a new generation current, delete old generations as `gocfg generations gc` does with `keep` and `older_than` below (at least one of them must be set), then the stored contents no generation uses any more (NixOS's `nix.gc.automatic`, off by default as there). The current generation is never deleted. A failure of this clean-up is a warning: the switch stands. Off, generations stay until you run `gocfg generations gc` (each takes the files' records and the contents no other generation shares)."
  example     = true
}

option "generations.gc.keep" {
  type        = null_or(int)
  description = "With `automatic`: keep this many of the newest generations, and the current one if it is not among them (after a rollback), as `gocfg generations gc --keep`. With `older_than` too, a generation is deleted only when both say so."
  example     = 20
}

option "generations.gc.older_than" {
  type        = null_or(str)
  description = "With `automatic`: delete generations older than this, a number and `m`, `h`, `d` or `w` (`30d`), as `gocfg generations gc --older-than` (NixOS's `nix.gc.options = \"--delete-older-than 30d\"`)."
  example     = "30d"
}

assert {
  condition = !config.generations.gc.automatic || config.generations.gc.keep != null || config.generations.gc.older_than != null
  message   = "needs keep or older_than (or both): without them, no generation is old enough to delete.\nhint: set generations.gc.keep = 20, or generations.gc.older_than = \"30d\"."
  at        = "generations.gc.automatic"
}

assert {
  condition = config.generations.gc.keep == null || try(config.generations.gc.keep >= 0, false)
  message   = "a count of generations, 0 or more (0 keeps the current one alone)."
  at        = "generations.gc.keep"
}

assert {
  condition = config.generations.gc.older_than == null || can(regex("^[0-9]+[mhdwMHDW]$", config.generations.gc.older_than))
  message   = "a number and m, h, d or w, such as \"30d\"."
  at        = "generations.gc.older_than"
}
