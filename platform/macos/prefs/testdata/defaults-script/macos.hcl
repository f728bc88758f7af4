# The settings of macos.sh as a gocfg module: one value per key, typed as
# `defaults write` typed it. A whole number is an <integer>; real(x), or a
# number with a fraction, a <real>; a value given to `defaults write`
# without a type flag is a string. Arrays and dictionaries are whole
# values: what `-array` and then `-array-add` build up is written here as
# the final list, and `-dict` then `-dict-add` as the final object.
# gocfg records what each key held before and puts it back when a key is
# removed from here.

locals {
  # The applications of the Dock, in order.
  dock_apps = [
    "file:///Applications/Safari.app/",
    "file:///System/Applications/Mail.app/",
    "file:///System/Applications/Calendar.app/",
  ]
}

macos {
  defaults = {
    NSGlobalDomain = {
      # General UI and text
      AppleInterfaceStyle                  = "Dark"
      AppleShowAllExtensions               = true
      NSNavPanelExpandedStateForSaveMode   = true
      NSNavPanelExpandedStateForSaveMode2  = true
      PMPrintingExpandedStateForPrint      = true
      NSDocumentSaveNewDocumentsToCloud    = false
      NSAutomaticQuoteSubstitutionEnabled  = false
      NSAutomaticDashSubstitutionEnabled   = false
      NSAutomaticCapitalizationEnabled     = false
      NSAutomaticPeriodSubstitutionEnabled = false
      NSAutomaticSpellingCorrectionEnabled = false
      NSWindowResizeTime                   = 0.001
      NSTableViewDefaultSizeMode           = 2
      AppleLanguages                       = ["en-GB", "fr-FR"]
      AppleLocale                          = "en_GB@currency=EUR"
      AppleMeasurementUnits                = "Centimeters"
      AppleMetricUnits                     = true
      NSUserKeyEquivalents = {
        "Zoom"              = "@~z"
        "Show Tab Bar"      = "@~t"
        "Merge All Windows" = "@~m"
      }

      # Keyboard and trackpad
      KeyRepeat                        = 2
      InitialKeyRepeat                 = 15
      ApplePressAndHoldEnabled         = false
      AppleKeyboardUIMode              = 3
      "com.apple.mouse.tapBehavior"    = 1
      "com.apple.swipescrolldirection" = false
      "com.apple.springing.enabled"    = true
      "com.apple.springing.delay"      = real(0.2)
    }

    "com.apple.driver.AppleBluetoothMultitouch.trackpad" = {
      Clicking                     = true
      TrackpadCornerSecondaryClick = 2
    }
    "com.apple.AppleMultitouchTrackpad" = {
      Clicking                = true
      TrackpadThreeFingerDrag = true
    }
    "com.apple.symbolichotkeys" = {
      # Spotlight's ⌘Space off. -dict-add added one entry to what was
      # there; gocfg writes the dictionary as a whole.
      AppleSymbolicHotKeys = {
        "64" = {
          enabled = false
          value = {
            parameters = [65535, 49, 1048576]
            type       = "standard"
          }
        }
      }
    }

    "com.apple.dock" = {
      autohide                    = true
      "autohide-delay"            = real(0)
      "autohide-time-modifier"    = 0.15
      tilesize                    = 48
      magnification               = true
      largesize                   = 64
      orientation                 = "left"
      mineffect                   = "scale"
      "minimize-to-application"   = true
      "show-recents"              = false
      showhidden                  = true
      "show-process-indicators"   = true
      "mru-spaces"                = false
      "expose-group-apps"         = true
      "expose-animation-duration" = real(0.1)
      "wvous-tl-corner"           = 2
      "wvous-tl-modifier"         = 0
      "wvous-br-corner"           = 14
      "wvous-br-modifier"         = 1048576
      "persistent-apps" = [for url in local.dock_apps : {
        "tile-data" = { "file-data" = { _CFURLString = url, _CFURLStringType = 15 } }
        "tile-type" = "file-tile"
      }]
    }

    "com.apple.finder" = {
      AppleShowAllFiles               = true
      ShowPathbar                     = true
      ShowStatusBar                   = true
      _FXShowPosixPathInTitle         = true
      _FXSortFoldersFirst             = true
      FXEnableExtensionChangeWarning  = false
      WarnOnEmptyTrash                = false
      QuitMenuItem                    = true
      FXPreferredViewStyle            = "Nlsv"
      FXDefaultSearchScope            = "SCcf"
      NewWindowTarget                 = "PfHm"
      NewWindowTargetPath             = "file:///Users/${host.user}/"
      ShowExternalHardDrivesOnDesktop = true
      ShowHardDrivesOnDesktop         = false
      FXInfoPanesExpanded             = { General = true, OpenWith = true, Privileges = true }
    }
    "com.apple.desktopservices" = {
      DSDontWriteNetworkStores = true
      DSDontWriteUSBStores     = true
    }

    "com.apple.screencapture" = {
      location         = "/Users/${host.user}/Pictures/Screenshots"
      type             = "png"
      "disable-shadow" = true
      "show-thumbnail" = false
    }
    "com.apple.menuextra.clock" = {
      DateFormat  = "EEE d MMM  HH:mm:ss"
      ShowSeconds = true
    }

    "com.apple.TextEdit" = {
      RichText                  = 0
      PlainTextEncoding         = 4
      PlainTextEncodingForWrite = 4
    }
    "com.apple.ActivityMonitor" = {
      ShowCategory  = 0
      IconType      = 5
      SortColumn    = "CPUUsage"
      SortDirection = 0
    }
    "com.apple.print.PrintingPrefs" = { "Quit When Finished" = true }
    "com.apple.LaunchServices"      = { LSQuarantine = false }
    "com.apple.CrashReporter"       = { UseUNC = true }
    "com.apple.TimeMachine"         = { DoNotOfferNewDisksForBackup = true }
    "com.knollsoft.Rectangle" = {
      gapSize              = real(8)
      almostMaximizeHeight = 0.9
      almostMaximizeWidth  = 0.9
      launchOnLogin        = true
    }
  }

  current_host_defaults = {
    NSGlobalDomain = {
      "com.apple.mouse.tapBehavior"                    = 1
      "com.apple.trackpad.trackpadCornerClickBehavior" = 1
      "com.apple.trackpad.enableSecondaryClick"        = true
    }
    "com.apple.controlcenter" = { BatteryShowPercentage = true }
    "com.apple.screensaver"   = { idleTime = 600 }
  }

  system_defaults = {
    "com.apple.loginwindow" = {
      GuestEnabled  = false
      SHOWFULLNAME  = true
      AdminHostInfo = "HostName"
    }
    "com.apple.SoftwareUpdate" = {
      AutomaticCheckEnabled = true
      ScheduleFrequency     = 1
      AutomaticDownload     = 1
    }
  }
}
