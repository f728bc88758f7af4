#!/usr/bin/env bash
#
# macOS settings for a new Mac, the way they used to be kept in these
# dotfiles before gocfg: one `defaults write` per setting. macos.hcl next
# to this file is the same settings as a gocfg module.
#
# Run it as yourself (it asks for the administrator password once for the
# login window and Software Update), then log out and back in.

set -euo pipefail

# Quit System Settings so that it does not write its own values back.
osascript -e 'tell application "System Settings" to quit' || true

# Ask for the password up front.
sudo -v

###############################################################################
# General UI and text                                                         #
###############################################################################

# Dark mode.
defaults write NSGlobalDomain AppleInterfaceStyle -string "Dark"

# Show every file name extension.
defaults write NSGlobalDomain AppleShowAllExtensions -bool true

# Expand the save and print panels by default.
defaults write NSGlobalDomain NSNavPanelExpandedStateForSaveMode -bool YES
defaults write NSGlobalDomain NSNavPanelExpandedStateForSaveMode2 -bool YES
defaults write NSGlobalDomain PMPrintingExpandedStateForPrint -bool TRUE

# Save new documents to the disk, not to iCloud.
defaults write NSGlobalDomain NSDocumentSaveNewDocumentsToCloud -bool false

# No smart quotes, smart dashes, auto-capitalisation or auto-correct: they
# get in the way when typing code.
defaults write NSGlobalDomain NSAutomaticQuoteSubstitutionEnabled -bool NO
defaults write NSGlobalDomain NSAutomaticDashSubstitutionEnabled -bool NO
defaults write NSGlobalDomain NSAutomaticCapitalizationEnabled -bool false
defaults write NSGlobalDomain NSAutomaticPeriodSubstitutionEnabled -bool false
defaults write NSGlobalDomain NSAutomaticSpellingCorrectionEnabled -boolean false

# Windows resize at once.
defaults write -g NSWindowResizeTime -float 0.001

# Sidebar icons: medium.
defaults write -g NSTableViewDefaultSizeMode -int 2

# Languages, region and units.
defaults write -g AppleLanguages -array "en-GB" "fr-FR"
defaults write -g AppleLocale -string "en_GB@currency=EUR"
defaults write -g AppleMeasurementUnits -string "Centimeters"
defaults write -g AppleMetricUnits -bool true

# Menu shortcuts of every application: ⌥⌘Z zooms a window, ⌥⌘T shows the
# tab bar, ⌥⌘M merges all windows.
defaults write -g NSUserKeyEquivalents -dict \
    "Zoom" "@~z" \
    "Show Tab Bar" "@~t"
defaults write -g NSUserKeyEquivalents -dict-add "Merge All Windows" "@~m"

###############################################################################
# Keyboard and trackpad                                                       #
###############################################################################

# A fast key repeat, and a short delay before it starts.
defaults write NSGlobalDomain KeyRepeat -int 2
defaults write NSGlobalDomain InitialKeyRepeat -integer 15

# Hold a key to repeat it rather than to show the accent menu.
defaults write NSGlobalDomain ApplePressAndHoldEnabled -bool false

# Tab moves between all controls in dialogs.
defaults write NSGlobalDomain AppleKeyboardUIMode -int 3

# Tap to click, for this user and on the login screen.
defaults write com.apple.driver.AppleBluetoothMultitouch.trackpad Clicking -bool true
defaults write com.apple.AppleMultitouchTrackpad Clicking -bool true
defaults -currentHost write NSGlobalDomain com.apple.mouse.tapBehavior -int 1
defaults write NSGlobalDomain com.apple.mouse.tapBehavior -int 1

# Drag windows with three fingers.
defaults write com.apple.AppleMultitouchTrackpad TrackpadThreeFingerDrag -bool true

# A click in the bottom right corner of the trackpad is a right click.
defaults write com.apple.driver.AppleBluetoothMultitouch.trackpad TrackpadCornerSecondaryClick -int 2
defaults -currentHost write -g com.apple.trackpad.trackpadCornerClickBehavior -int 1
defaults -currentHost write -g com.apple.trackpad.enableSecondaryClick -bool true

# Scroll the old way: content follows the fingers' opposite.
defaults write NSGlobalDomain com.apple.swipescrolldirection -bool false

# Spring-loaded folders open quickly.
defaults write NSGlobalDomain com.apple.springing.enabled -bool true
defaults write NSGlobalDomain com.apple.springing.delay -float 0.2

# No Spotlight on ⌘Space (Raycast takes it): symbolic hot key 64 off.
defaults write com.apple.symbolichotkeys AppleSymbolicHotKeys -dict-add 64 \
    "<dict><key>enabled</key><false/><key>value</key><dict><key>parameters</key><array><integer>65535</integer><integer>49</integer><integer>1048576</integer></array><key>type</key><string>standard</string></dict></dict>"

###############################################################################
# Dock and Mission Control                                                    #
###############################################################################

defaults write com.apple.dock autohide -bool true
# Show the hidden Dock at once, and animate it quickly.
defaults write com.apple.dock autohide-delay -float 0
defaults write com.apple.dock autohide-time-modifier -float 0.15
defaults write com.apple.dock tilesize -int 48
defaults write com.apple.dock magnification -bool true
defaults write com.apple.dock largesize -int 64
defaults write com.apple.dock orientation -string left
defaults write com.apple.dock mineffect scale   # an untyped value is a string
defaults write com.apple.dock minimize-to-application -bool yes
defaults write com.apple.dock show-recents -bool false
defaults write com.apple.dock showhidden -bool true
defaults write com.apple.dock show-process-indicators -bool true

# Keep Spaces in the order I made them, group windows by application.
defaults write com.apple.dock mru-spaces -bool false
defaults write com.apple.dock "expose-group-apps" -bool true
defaults write com.apple.dock expose-animation-duration -float 0.1

# Hot corners: top left Mission Control, bottom right Quick Note with ⌘.
defaults write com.apple.dock wvous-tl-corner -int 2
defaults write com.apple.dock wvous-tl-modifier -int 0
defaults write com.apple.dock wvous-br-corner -int 14
defaults write com.apple.dock wvous-br-modifier -int 1048576

# Only these applications in the Dock, in this order.
defaults write com.apple.dock persistent-apps -array
defaults write com.apple.dock persistent-apps -array-add '<dict><key>tile-data</key><dict><key>file-data</key><dict><key>_CFURLString</key><string>file:///Applications/Safari.app/</string><key>_CFURLStringType</key><integer>15</integer></dict></dict><key>tile-type</key><string>file-tile</string></dict>'
defaults write com.apple.dock persistent-apps -array-add '<dict><key>tile-data</key><dict><key>file-data</key><dict><key>_CFURLString</key><string>file:///System/Applications/Mail.app/</string><key>_CFURLStringType</key><integer>15</integer></dict></dict><key>tile-type</key><string>file-tile</string></dict>'
defaults write com.apple.dock persistent-apps -array-add '<dict><key>tile-data</key><dict><key>file-data</key><dict><key>_CFURLString</key><string>file:///System/Applications/Calendar.app/</string><key>_CFURLStringType</key><integer>15</integer></dict></dict><key>tile-type</key><string>file-tile</string></dict>'

###############################################################################
# Finder                                                                      #
###############################################################################

defaults write com.apple.finder AppleShowAllFiles -bool true
defaults write com.apple.finder ShowPathbar -bool true
defaults write com.apple.finder ShowStatusBar -bool true
defaults write com.apple.finder _FXShowPosixPathInTitle -bool true
defaults write com.apple.finder _FXSortFoldersFirst -bool true
defaults write com.apple.finder FXEnableExtensionChangeWarning -bool false
defaults write com.apple.finder WarnOnEmptyTrash -bool false
defaults write com.apple.finder QuitMenuItem -bool true

# List view; search the current folder.
defaults write com.apple.finder FXPreferredViewStyle -string "Nlsv"
defaults write com.apple.finder FXDefaultSearchScope -string "SCcf"

# New windows open the home folder.
defaults write com.apple.finder NewWindowTarget -string "PfHm"
defaults write com.apple.finder NewWindowTargetPath -string "file://${HOME}/"

# External disks on the desktop, the internal one not.
defaults write com.apple.finder ShowExternalHardDrivesOnDesktop -bool true
defaults write com.apple.finder ShowHardDrivesOnDesktop -bool false

# Get Info opens with General, Open with and Sharing & Permissions expanded.
defaults write com.apple.finder FXInfoPanesExpanded '<dict><key>General</key><true/><key>OpenWith</key><true/><key>Privileges</key><true/></dict>'

# No .DS_Store files on network and USB volumes.
defaults write com.apple.desktopservices DSDontWriteNetworkStores -bool true
defaults write com.apple.desktopservices DSDontWriteUSBStores -bool true

###############################################################################
# Screenshots                                                                 #
###############################################################################

mkdir -p "${HOME}/Pictures/Screenshots"
defaults write com.apple.screencapture location -string "${HOME}/Pictures/Screenshots"
defaults write com.apple.screencapture type -string "png"
defaults write com.apple.screencapture disable-shadow -bool true
defaults write com.apple.screencapture show-thumbnail -bool false

###############################################################################
# Menu bar                                                                    #
###############################################################################

defaults write com.apple.menuextra.clock DateFormat -string "EEE d MMM  HH:mm:ss"
defaults write com.apple.menuextra.clock ShowSeconds -bool true
defaults -currentHost write com.apple.controlcenter BatteryShowPercentage -bool true

###############################################################################
# Applications                                                                #
###############################################################################

# TextEdit: plain text, UTF-8.
defaults write com.apple.TextEdit RichText -int 0
defaults write com.apple.TextEdit PlainTextEncoding -int 4
defaults write com.apple.TextEdit PlainTextEncodingForWrite -int 4

# Activity Monitor: all processes, CPU use in the Dock icon, sorted by CPU.
defaults write com.apple.ActivityMonitor ShowCategory -int 0
defaults write com.apple.ActivityMonitor IconType -int 5
defaults write com.apple.ActivityMonitor SortColumn -string "CPUUsage"
defaults write com.apple.ActivityMonitor SortDirection -int 0

# Quit the printer queue when the job is done.
defaults write com.apple.print.PrintingPrefs "Quit When Finished" -bool true

# No "Are you sure you want to open this application?" dialog.
defaults write com.apple.LaunchServices LSQuarantine -bool false

# Crash reports as notifications.
defaults write com.apple.CrashReporter UseUNC -bool true

# Time Machine does not offer new disks as backup volumes.
defaults write com.apple.TimeMachine DoNotOfferNewDisksForBackup -bool true

# Rectangle: a gap between windows, almost-maximise to 90%.
defaults write com.knollsoft.Rectangle gapSize -float 8
defaults write com.knollsoft.Rectangle almostMaximizeHeight -float 0.9
defaults write com.knollsoft.Rectangle almostMaximizeWidth -float 0.9
defaults write com.knollsoft.Rectangle launchOnLogin -bool true

# Start the screen saver after ten minutes on this Mac.
defaults -currentHost write com.apple.screensaver idleTime -int 600

###############################################################################
# For every user of this Mac (needs the administrator password)              #
###############################################################################

# No guest account; ask for a name and a password at the login window.
sudo defaults write /Library/Preferences/com.apple.loginwindow GuestEnabled -bool false
sudo defaults write /Library/Preferences/com.apple.loginwindow SHOWFULLNAME -bool true
# Show the host name, OS version and IP address when the clock is clicked.
sudo defaults write /Library/Preferences/com.apple.loginwindow AdminHostInfo HostName

# Check for updates daily and download them in the background.
sudo defaults write /Library/Preferences/com.apple.SoftwareUpdate AutomaticCheckEnabled -bool true
sudo defaults write /Library/Preferences/com.apple.SoftwareUpdate ScheduleFrequency -int 1
sudo defaults write /Library/Preferences/com.apple.SoftwareUpdate AutomaticDownload -int 1

###############################################################################
# Restart what caches these settings                                          #
###############################################################################

for app in "Dock" "Finder" "SystemUIServer" "ControlCenter"; do
    killall "${app}" > /dev/null 2>&1 || true
done
echo "Done. Log out and back in for every change to apply."
