# launchd jobs: property lists in ~/Library/LaunchAgents (agents, run as
# macos.primary_user) and /Library/LaunchDaemons (daemons, run as root),
# loaded with `launchctl bootstrap` and removed with `launchctl bootout`.

option "macos.launchd.agents" {
  type = attrs_of(submodule({
    program_arguments = {
      type        = list_of(str)
      description = "The program and its arguments (`ProgramArguments`)."
    }
    run_at_load = {
      type        = null_or(bool)
      description = "Start the job as soon as it is loaded: at login for an agent, at boot for a daemon (`RunAtLoad`). Unset leaves the key out (launchd's default is false)."
    }
    keep_alive = {
      type        = anything
      description = "Keep the job running (`KeepAlive`): `true`, `false`, or an object of conditions such as `{ SuccessfulExit = false }`. Unset leaves the key out."
    }
    environment = {
      type        = attrs_of(str)
      default     = {}
      description = "Environment variables of the job (`EnvironmentVariables`)."
    }
    extra = {
      type        = attrs_of(anything)
      default     = {}
      description = "Further launchd.plist keys, written verbatim, e.g. `{ StartInterval = 3600, StandardOutPath = \"/tmp/job.log\" }`, or for a daemon `{ UserName = \"_www\", StartCalendarInterval = { Hour = 4 } }`. The keys launchd.plist(5) types (StartInterval, StartCalendarInterval and its ranges, WatchPaths, ProcessType, the resource limits, the booleans and paths) are checked by `gocfg check`; other keys are written as given."
    }
  }))
  default     = {}
  description = "Per-user launchd agents of `macos.primary_user`, keyed by label (`Label`, e.g. `org.example.sync`); each is written to `~/Library/LaunchAgents/<label>.plist`."
  example = {
    "org.example.sync" = { program_arguments = ["/usr/local/bin/sync"], run_at_load = true }
  }
}

option "macos.launchd.daemons" {
  # The same sub-options as agents (nix-darwin shares one submodule too).
  type        = type_of("macos.launchd.agents")
  default     = {}
  description = "System-wide launchd daemons, keyed by label (`Label`); each is written to `/Library/LaunchDaemons/<label>.plist` and runs as root unless `extra.UserName` says otherwise."
  example = {
    "org.example.backup" = { program_arguments = ["/usr/local/bin/backup"], extra = { StartInterval = 86400 } }
  }
}

locals {
  # Jobs that name no program: neither program_arguments nor extra.Program.
  jobs_without_program = concat(
    [for label, j in config.macos.launchd.agents : "macos.launchd.agents.${jsonencode(label)}" if !contains(keys(j.extra), "Program") && (j.program_arguments == null || length(j.program_arguments) == 0)],
    [for label, j in config.macos.launchd.daemons : "macos.launchd.daemons.${jsonencode(label)}" if !contains(keys(j.extra), "Program") && (j.program_arguments == null || length(j.program_arguments) == 0)],
  )
}

assert {
  condition = length(local.jobs_without_program) == 0
  message   = "set program_arguments (or extra.Program)."
  at        = local.jobs_without_program
}
