# services.cron (NixOS's services.cron.enable, systemCronJobs, mailto and
# cronFiles): the distribution's cron daemon (Debian's `cron`, Vixie cron
# with Debian's patches; cronie on Fedora and Arch), its unit enabled and
# started through systemd.units (which puts back the unit's earlier state
# when the option goes), and the jobs in one file of cron's drop-in
# folder, /etc/cron.d/gocfg, which cron reads besides /etc/crontab.
#
# NixOS writes the whole /etc/crontab (its jobs, the cronFiles and its
# own SHELL=bash and PATH of the system profile). gocfg leaves the
# machine's /etc/crontab (Debian's runs /etc/cron.{hourly,daily,...}
# through run-parts) and the other files of /etc/cron.d (those of
# packages) alone and writes a file of its own there. Its lines have the
# format of /etc/crontab, with the user field, as NixOS's. cron's rules
# for /etc/cron.d files hold for it: the name has only letters, digits,
# _ and - (Debian's cron skips a file with a dot in its name, such as
# gocfg.conf), the file is owned by root and writable by root only (mode
# 0644; cron refuses a group- or other-writable one) and it ends with a
# newline (cron drops a last line without one). It is a copy, not a link
# into the generation: Debian's cron takes a link only when the link and
# its target are root's, and a regular file keeps it simple. cron looks
# at /etc/cron.d each minute and re-reads a file that changed, but by
# the folder's modification time in whole seconds: a file written in the
# second of cron's last look is missed, so the file's on_change restarts
# a running cron (a job added takes effect at the next minute).
#
# Environment: NixOS sets SHELL to bash and PATH to the system profile.
# Here the file starts with the PATH of Debian's /etc/crontab
# (/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin; cron's
# own is /usr/bin:/bin, without the sbin folders) and, when mail_to is
# set, MAILTO; SHELL stays cron's /bin/sh. A NAME=value line in the jobs
# changes a variable for the lines after it (cron's rule for a crontab:
# in /etc/cron.d, for that file only).
#
# Off: enable false (the default, as NixOS's) leaves the machine's cron
# alone (Debian installs cron on a standard system: it keeps running,
# with its own crontabs), and writes nothing. Turning it off after it was
# on removes /etc/cron.d/gocfg (so its jobs stop, from cron's next look
# at the folder), removes the package if gocfg installed it, and puts
# back the state the unit had before gocfg (a cron that was enabled and
# running before stays so; one the switch installed is stopped and
# disabled before its package goes). Jobs set while enable is false are
# a warning, not written.
#
# Checked (an error at the line that sets it): a job is a NAME=value line,
# a comment or blank line, or a schedule (five time fields, or an
# @-schedule cron knows), a user and a command, on one line. The
# schedule's fields are checked for characters and for numbers out of
# range, not parsed further; a sixth time field (seconds, from other
# schedulers) and a missing user (the commonest mistake: a line written
# for `crontab -e`, which has no user field, so that cron takes the
# command's first word for the user) are said so. A user field that is
# a user name cannot be told from a command's name in general: the names
# of common commands there are taken for a missing user (unless
# `users` declares such a user); any other unknown user shows only in
# cron's log ("ERROR (Unknown user)"). An unescaped % in a command (cron
# makes it a newline) is a warning.
#
# Left out: NixOS's `package` (cronie in current NixOS, Vixie cron
# before: gocfg installs the distribution's cron, by the package
# manager's name for it), user crontabs (`crontab -e`, each user's own,
# which NixOS does not manage either) and cron.allow/cron.deny (who may
# use crontab(1); NixOS has no option for them: write them with
# environment.etc). A job's user is not checked against the machine's
# accounts: the configuration is evaluated before the switch, possibly on
# another machine, and the user may come from a package of the same
# switch.

option "services.cron.enable" {
  type        = bool
  default     = false
  description = "Run the cron daemon (NixOS's `services.cron.enable`): install the distribution's cron (package `cron` on Debian, `cronie` on Fedora and Arch), enable and start its unit (`cron.service` on Debian, `crond.service` on Fedora, `cronie.service` on Arch; through `systemd.units`, in the same switch), and write `system_cron_jobs`, the content of `cron_files` and `mail_to` to `/etc/cron.d/gocfg` (root's, mode `0644`, as cron wants it), which cron reads besides `/etc/crontab`; with no job there is no file. cron looks at `/etc/cron.d` every minute and reads a file that changed, but notices a change only by the folder's modification time, in whole seconds: so when the file changes gocfg restarts a running cron, and a new job runs from the next minute on. The machine's `/etc/crontab` (on Debian, the jobs of `/etc/cron.hourly`, `/etc/cron.daily` and so on) and the other files of `/etc/cron.d` stay as they are. False (the default) leaves the machine's cron alone: a cron already there keeps running, with its own crontabs (to stop it, set `systemd.units.\"cron.service\".enable = false`). Turning it off removes `/etc/cron.d/gocfg` (its jobs stop), removes the package if gocfg installed it, and puts back the state the unit had before gocfg (enabled and running if it was so). Linux only: on macOS nothing is installed or written, with a warning."
  example     = true
}

option "services.cron.system_cron_jobs" {
  type        = list_of(str)
  default     = []
  description = "Lines of `/etc/cron.d/gocfg`, one an item, in the format of `/etc/crontab` (crontab(5)), as NixOS's `services.cron.systemCronJobs`: a job is five time fields (minute, hour, day of month, month, day of week) or an @-schedule (`@reboot`, `@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`, `@yearly`, `@annually`), then the user who runs it, then the command, such as `\"30 2 * * * root /usr/local/sbin/backup\"`. Unlike a crontab edited with `crontab -e`, a line here names the user: a line without it is an error that says so (cron would take the command's first word for the user). A `NAME=value` line sets a variable for the jobs after it (such as `SHELL=/bin/bash`, or `MAILTO=` for no mail), a line starting with `#` is a comment. Before the jobs the file sets `PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin` (as Debian's `/etc/crontab`) and `MAILTO` (see `mail_to`). A line with a newline, too few fields, a time field with characters or numbers cron does not take, a sixth time field (cron has no seconds) or an @-schedule cron does not know is an error at its line; an unescaped `%` in a command, which cron turns into a newline (the rest goes to the command's standard input), is a warning: write `\\%`. Written only when `enable` is true; lists of several definitions are joined in module order."
  example     = ["*/5 * * * * root date >> /tmp/cron.log", "@daily alice /home/alice/bin/cleanup"]
}

option "services.cron.mail_to" {
  type        = null_or(str)
  description = "Where cron mails what the jobs of `/etc/cron.d/gocfg` print (`MAILTO=`, NixOS's `services.cron.mailto`): an address or a local user, or several separated by commas; `\"\"` sends no mail. Written at the top of `/etc/cron.d/gocfg`, so it applies to the jobs of that file only (not to `/etc/crontab` or other files of `/etc/cron.d`), and not written when there is no job. Unset (the default) writes no `MAILTO`: cron mails the output to the job's user, if the machine has a mail transfer agent (`/usr/sbin/sendmail`; without one Debian's cron logs that it discards it). A value with a newline or a `\"` is an error at its line."
  example     = "admin@example.org"
}

option "services.cron.cron_files" {
  type        = list_of(path)
  default     = []
  description = "Files in the format of `/etc/crontab` whose lines are added to `/etc/cron.d/gocfg` after `system_cron_jobs`, in order (NixOS's `services.cron.cronFiles`); a relative path is relative to the module that sets it. Their lines are checked as those of `system_cron_jobs`, the error naming the file; a file with Windows line ends (`\\r\\n`) is an error, since cron would pass the `\\r` to the command. gocfg reads them when it evaluates the configuration (at most 16 MiB each, UTF-8), and only while `enable` is true."
  example     = ["./backup.cron"]
}

locals {
  cr    = config.services.cron
  cr_on = local.cr.enable && host.os == "linux"
  # The package and unit of cron where gocfg knows them: Debian's cron
  # (Vixie cron), cronie on Fedora and Arch, whose units differ.
  cr_dists = {
    debian = { package = "cron", unit = "cron.service" }
    fedora = { package = "cronie", unit = "crond.service" }
    arch   = { package = "cronie", unit = "cronie.service" }
  }
  cr_known   = can(local.cr_dists[host.distro])
  cr_package = local.cr_known ? local.cr_dists[host.distro].package : ""
  cr_unit    = local.cr_known ? local.cr_dists[host.distro].unit : ""

  # Every line with the option it comes from: the jobs, then the lines of
  # each cron file (read only while on; a file's final newline ends its
  # last line).
  cr_items = concat(
    [for l in local.cr.system_cron_jobs : { at = "services.cron.system_cron_jobs", line = l, from = "" }],
    flatten([for p in (local.cr_on ? local.cr.cron_files : []) : [
      for l in split("\n", chomp(file(p))) : { at = "services.cron.cron_files", line = l, from = p }
    ]]),
  )

  # What cron reads of a line: its words, after white space.
  cr_words = [for it in local.cr_items : merge(it, {
    # The line quoted for messages, as a Go or JSON string without
    # jsonencode's \u003e for > (which commands often have).
    q     = "\"${replace(replace(replace(replace(replace(it.line, "\\", "\\\\"), "\"", "\\\""), "\n", "\\n"), "\r", "\\r"), "\t", "\\t")}\""
    t     = trimspace(it.line)
    words = regexall("[^ \t]+", trimspace(it.line))
  })]

  cr_at_schedules = ["@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
  cr_months       = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
  cr_days         = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
  cr_fields = [
    { name = "minute", re = "^[0-9*,/-]+$", min = 0, max = 59, names = [] },
    { name = "hour", re = "^[0-9*,/-]+$", min = 0, max = 23, names = [] },
    { name = "day of month", re = "^[0-9*,/-]+$", min = 1, max = 31, names = [] },
    { name = "month", re = "^[0-9A-Za-z*,/-]+$", min = 1, max = 12, names = local.cr_months },
    { name = "day of week", re = "^[0-9A-Za-z*,/-]+$", min = 0, max = 7, names = local.cr_days },
  ]
  # A user name as useradd takes it (not all digits: cron looks users up
  # by name).
  cr_user_re = "^[A-Za-z0-9_.][A-Za-z0-9_.-]*[$]?$"
  # Commands a line without its user field often starts with: the first
  # word of the command lands in the user field, and looks like a name.
  # Not the names of users that Debian or common packages make (backup,
  # sync, git, node, docker...), where a false alarm would block the
  # switch: users declares a user of such a name.
  cr_commands = [
    "bash", "sh", "zsh", "cd", "echo", "printf", "touch", "test", "true", "false",
    "date", "sleep", "cp", "mv", "rm", "ln", "mkdir", "find", "tar", "rsync",
    "curl", "wget", "flock", "nice", "ionice", "timeout", "env", "run-parts",
    "systemctl", "python", "python3", "perl", "php", "cat", "ls", "logger",
    "reboot", "shutdown", "apt", "apt-get", "certbot",
  ]
  cr_declared_users = keys(config.users)
  # The hints the reasons below refer to, by key.
  cr_hints = {
    format = "a job is five time fields (minute hour day-of-month month day-of-week) or an @-schedule (${join(", ", local.cr_at_schedules)}), then the user who runs it, then the command, as in \"30 2 * * * root /usr/local/sbin/backup\"; NAME=value lines set variables, # starts a comment."
    user   = "unlike a crontab edited with crontab -e, a line of /etc/cron.d names the user who runs the command, between the schedule and the command: \"30 2 * * * root /usr/local/sbin/backup\"."
    field  = "a time field is a number, * (every), a range (1-5), a list (1,15), a step (*/10) or a mix of them (1-30/5,45); months and days of the week may be names (jan, mon)."
    lines  = "give each job, or NAME=value line, a list item of its own."
    crlf   = "save the file with Unix line ends (\\n), not Windows ones (\\r\\n)."
  }

  # Per job line (a schedule, not a comment, NAME=value or blank line):
  # the schedule's fields, the user and the command.
  cr_kind = [for w in local.cr_words : merge(w, {
    kind = (strcontains(w.line, "\n") ? "newline"
      : strcontains(w.line, "\r") ? "cr"
      : w.t == "" || startswith(w.t, "#") ? "blank"
      : can(regex("^[A-Za-z_][A-Za-z0-9_]*[ \t]*=", w.t)) ? "env"
    : startswith(w.t, "@") ? "at" : "job")
    nsched = startswith(w.t, "@") ? 1 : 5
  })]
  cr_parsed = [for k in local.cr_kind : merge(k, {
    user    = length(k.words) > k.nsched ? k.words[k.nsched] : ""
    command = length(k.words) > k.nsched + 1 ? join(" ", slice(k.words, k.nsched + 1, length(k.words))) : ""
    # The time fields with a character cron does not take, or a name
    # that is not a month's or a day's, then those with a number out of
    # range (a number after / is a step: any).
    bad_chars = k.kind == "job" ? [for i, f in local.cr_fields : i if i < length(k.words) && (!can(regex(f.re, k.words[i])) || length([
      for n in regexall("[A-Za-z]+", k.words[i]) : n if !contains(f.names, lower(n))
    ]) > 0)] : []
    bad_nums = k.kind == "job" ? [for i, f in local.cr_fields : i if i < length(k.words) && can(regex(f.re, k.words[i])) && length([
      for m in regexall("(^|[,-])([0-9]+)", k.words[i]) : m if tonumber(m[1]) < f.min || tonumber(m[1]) > f.max
    ]) > 0] : []
  })]

  # Why cron would not run a line as meant, and the hint that goes with
  # it; why is "" when cron would.
  cr_checked = [for p in local.cr_parsed : merge(p, (
    p.kind == "newline" ? { why = "is more than one line", hint = "lines" }
    : p.kind == "cr" ? { why = "has a carriage return (\\r), which cron would pass to the command", hint = "crlf" }
    : p.kind == "at" && !contains(local.cr_at_schedules, p.words[0]) ? { why = "cron knows no schedule ${p.words[0]}", hint = "format" }
    : p.kind == "at" && length(p.words) == 1 ? { why = "has a schedule and nothing after it", hint = "format" }
    : p.kind == "job" && length(p.words) < 6 ? { why = "has ${length(p.words)} field${length(p.words) > 1 ? "s" : ""}, too few for a job", hint = "format" }
    : p.kind == "job" && length(p.bad_chars) > 0 ? { why = "the ${local.cr_fields[p.bad_chars[0]].name} field, \"${p.words[p.bad_chars[0]]}\", is not a time field cron reads", hint = "field" }
    : p.kind == "job" && length(p.bad_nums) > 0 ? { why = "the ${local.cr_fields[p.bad_nums[0]].name} field, \"${p.words[p.bad_nums[0]]}\", has a number out of its range, ${local.cr_fields[p.bad_nums[0]].min} to ${local.cr_fields[p.bad_nums[0]].max}", hint = "field" }
    : p.kind == "job" && can(regex("^[0-9*,/-]+$", p.user)) ? { why = "has a sixth time field, \"${p.user}\", where cron reads the user: cron's schedule has five fields, without seconds or years", hint = "format" }
    : (p.kind == "job" || p.kind == "at") && p.command == "" ? { why = "has one word after the schedule, \"${p.user}\", which cron would take for the user, leaving no command: the user field is missing", hint = "user" }
    : (p.kind == "job" || p.kind == "at") && (!can(regex(local.cr_user_re, p.user)) || can(regex("^[0-9]+$", p.user))) ? { why = "has \"${p.user}\" where cron reads the user who runs the job, which is no user name: the user field is missing", hint = "user" }
    : (p.kind == "job" || p.kind == "at") && contains(local.cr_commands, p.user) && !contains(local.cr_declared_users, p.user) ? { why = "has \"${p.user}\" where cron reads the user who runs the job, which is a command: the user field is missing", hint = "user" }
    : { why = "", hint = "" }
  ))]
  cr_bad_jobs  = [for c in local.cr_checked : c if c.why != "" && c.at == "services.cron.system_cron_jobs"]
  cr_bad_files = [for c in local.cr_checked : c if c.why != "" && c.at == "services.cron.cron_files"]
  # Jobs whose command has a % without a \ before it.
  cr_percent = [for c in local.cr_checked : c if c.why == "" && (c.kind == "job" || c.kind == "at") && can(regex("(^|[^\\\\])%", c.command))]

  cr_mail_ok = local.cr.mail_to == null ? true : !can(regex("[\"\r\n]", local.cr.mail_to))

  cr_lines = [for it in local.cr_items : it.line]
  cr_text = join("\n", concat(
    ["# Written by gocfg (services.cron); replaced by every switch.",
    "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin"],
    local.cr.mail_to != null ? ["MAILTO=\"${local.cr.mail_to}\""] : [],
    local.cr_lines,
    [""],
  ))

  # Options set while enable is false.
  cr_unused = local.cr.enable ? [] : concat(
    length(local.cr.system_cron_jobs) > 0 ? ["services.cron.system_cron_jobs"] : [],
    length(local.cr.cron_files) > 0 ? ["services.cron.cron_files"] : [],
    local.cr.mail_to != null ? ["services.cron.mail_to"] : [],
  )
}

environment {
  system_packages = local.cr_on && local.cr_known ? [local.cr_package] : []

  # Named with letters only: Debian's cron skips a file of /etc/cron.d
  # whose name has a dot (or any character but letters, digits, _ and
  # -). Root's, 0644: cron skips a file that is not root's or that group
  # or others may write. A copy: see the comment at the top.
  etc "cron.d/gocfg" {
    when   = local.cr_on && length(local.cr_items) > 0
    text   = local.cr_text
    method = "copy"
    mode   = "0644"
    user   = "root"
    # cron notices a changed file by /etc/cron.d's modification time,
    # in whole seconds: a file written in the second of cron's last look
    # (cron started by its package's install a moment before) was never
    # read, and its jobs never ran (CI). A running cron is restarted; one
    # not running yet reads the file when it starts.
    on_change = "systemctl try-restart ${local.cr_unit} || true"
  }
}

# Enabled and started; the entry gone, the unit is put back as it was
# before gocfg first took it over. A unit from the packages of the same
# switch is accepted (units are enabled after packages:install).
systemd {
  units "cron.service" {
    when   = local.cr_on && local.cr_unit == "cron.service"
    enable = true
  }
  units "crond.service" {
    when   = local.cr_on && local.cr_unit == "crond.service"
    enable = true
  }
  units "cronie.service" {
    when   = local.cr_on && local.cr_unit == "cronie.service"
    enable = true
  }
}

assert {
  condition = !local.cr_on || local.cr_known
  message   = "gocfg does not know the cron daemon's package and unit on this system (host.distro is ${jsonencode(host.distro)}; it knows ${join(", ", [for d, v in local.cr_dists : "${d}: ${v.package}, ${v.unit}"])}).\nhint: install cron with environment.system_packages, enable its unit with systemd.units and write the jobs with environment.etc.\"cron.d/jobs\" instead."
  at        = "services.cron.enable"
}

assert {
  condition = length(local.cr_bad_jobs) == 0
  message   = "${length(local.cr_bad_jobs) > 1 ? "lines" : "a line"} cron would not run as meant:${join("", [for c in local.cr_bad_jobs : "\n  ${c.q}: ${c.why}."])}${join("", [for h in distinct([for c in local.cr_bad_jobs : c.hint]) : "\nhint: ${local.cr_hints[h]}"])}"
  at        = "services.cron.system_cron_jobs"
}

assert {
  condition = length(local.cr_bad_files) == 0
  message   = "${length(local.cr_bad_files) > 1 ? "lines" : "a line"} cron would not run as meant:${join("", [for c in local.cr_bad_files : "\n  ${c.from}: ${c.q}: ${c.why}."])}${join("", [for h in distinct([for c in local.cr_bad_files : c.hint]) : "\nhint: ${local.cr_hints[h]}"])}"
  at        = "services.cron.cron_files"
}

assert {
  condition = local.cr_mail_ok
  message   = "${jsonencode(coalesce(local.cr.mail_to, ""))} cannot be a MAILTO value.\nhint: one line without a double quote: an address or a user (several separated by commas), or \"\" for no mail."
  at        = "services.cron.mail_to"
}

warn {
  condition = length(local.cr_percent) > 0
  message   = "cron turns an unescaped % in a command into a newline, and gives what follows to the command's standard input (date +%F runs as date +): ${join(", ", [for c in local.cr_percent : c.q])}.\nhint: write \\% for a % of the command, as in date +\\%F."
  at        = distinct([for c in local.cr_percent : c.at])
}

warn {
  condition = length(local.cr_unused) > 0
  message   = "options are set but services.cron.enable is false, so gocfg writes no cron jobs."
  at        = local.cr_unused
}

warn {
  condition = local.cr.enable && host.os != "linux"
  message   = "applied on Linux only; on macOS (where launchd schedules jobs) nothing is installed or written."
  at        = "services.cron.enable"
}
