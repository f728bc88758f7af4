# A unit's *_config options take a string, a number, a bool, null or a
# list of those; an object, a list in a list and a text of several lines
# are errors at the key's line, for a user's units too.
systemd {
  services "web" {
    exec_start = "/usr/bin/web"
    service_config = {
      RestartSec    = 5
      DynamicUser   = true
      Nice          = null
      Environment   = ["A=1", "B=2"]
      Group         = { name = "web" }         # ERROR: Assertion failed
      ExecStartPre  = [["/bin/a"], "/bin/b"]   # ERROR: Assertion failed
      ExecStartPost = ["/bin/a", "/bin/b\n"]   # ERROR: Assertion failed
    }
    unit_config = {
      Description = "a\nb" # ERROR: Assertion failed
    }
  }
  timers "web" {
    on_calendar  = "daily"
    timer_config = { OnCalendar = ["Mon 04:00", { at = "Fri" }] } # ERROR: Assertion failed
  }
}
home "alice" {
  systemd {
    timers "sync" {
      on_boot_sec    = "5min"
      install_config = { WantedBy = { a = "timers.target" } } # ERROR: Assertion failed
    }
  }
}
