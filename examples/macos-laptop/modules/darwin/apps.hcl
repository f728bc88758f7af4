# Preferences of applications that have no convenience options.
macos {
  defaults = {
    # Rectangle (window manager): reads its gaps and sizes as reals.
    "com.knollsoft.Rectangle" = {
      gapSize               = real(8)
      almostMaximizeHeight  = real(0.9)
      almostMaximizeWidth   = real(0.9)
      launchOnLogin         = true
      hideMenubarIcon       = true
    }

    # Close the printer's queue window once the jobs are done.
    "com.apple.print.PrintingPrefs" = {
      "Quit When Finished" = true
    }
  }
}
