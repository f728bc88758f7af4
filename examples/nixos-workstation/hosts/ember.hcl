# ember: Alice's laptop, moved from NixOS to Debian 12. Each block is a
# line (or a few) of her old /etc/nixos/configuration.nix, which
# ../README.md shows next to this file. No /etc file and no unit is
# written by hand: every line is an option of gocfg's built-in modules.
#
#   sudo gocfg switch --config examples/nixos-workstation --host ember

# networking.hostName = "ember";
# networking.networkmanager.enable = true;
# networking.firewall.enable = true;
# networking.firewall.allowedTCPPorts = [ 22000 ];
# networking.firewall.allowedUDPPorts = [ 22000 21027 ];
networking {
  host_name = "ember"

  networkmanager {
    enable = true
  }

  # NixOS turns the firewall on by default, gocfg does not: say it.
  # services.openssh adds port 22 itself (services.openssh.open_firewall).
  firewall {
    enable            = true
    allowed_tcp_ports = [22000]        # Syncthing
    allowed_udp_ports = [22000, 21027] # Syncthing, and its discovery
  }
}

# time.timeZone = "Europe/Berlin";
time {
  time_zone = "Europe/Berlin"
}

# i18n.defaultLocale = "en_US.UTF-8";
# i18n.extraLocaleSettings = { LC_ADDRESS = "de_DE.UTF-8"; ... };
i18n {
  default_locale = "en_US.UTF-8"
  extra_locale_settings = {
    LC_ADDRESS     = "de_DE.UTF-8"
    LC_MEASUREMENT = "de_DE.UTF-8"
    LC_MONETARY    = "de_DE.UTF-8"
    LC_PAPER       = "de_DE.UTF-8"
    LC_TIME        = "de_DE.UTF-8"
  }
}

# console.keyMap = "de";
console {
  keymap = "de"
}

# users.users.alice = { isNormalUser = true; description = "Alice";
#   extraGroups = [ "wheel" "networkmanager" ]; shell = pkgs.zsh;
#   openssh.authorizedKeys.keys = [ "ssh-ed25519 ... alice@framework" ]; };
users "alice" {
  description = "Alice Liddell"
  admin       = true # "wheel": the group that may use sudo, sudo on Debian
  shell       = "/bin/zsh"
  authorized_keys = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGj0yVv1mZc7cJVuPa3pZ0a6u9gdp3kC9oO4oR1b9Xk6 alice@framework",
  ]
}

# security.sudo.wheelNeedsPassword = false;
security {
  sudo {
    wheel_needs_password = false
  }
}

# programs.zsh.enable = true;
programs {
  zsh {
    enable = true
  }
}

# programs.zsh.shellAliases = { ll = "ls -l"; update = "..."; };
# NixOS writes these into /etc/zshrc for every user; gocfg into the
# user's own ~/.zshrc.
home "alice" {
  programs {
    zsh {
      enable = true
      aliases = {
        ll     = "ls -l"
        update = "sudo gocfg switch --config ~/src/dotfiles --host ember"
      }
    }
  }
}

# environment.systemPackages = with pkgs; [ vim git wget curl htop
#   ripgrep firefox ];
environment {
  system_packages = [
    "vim",
    "git",
    "wget",
    "curl",
    "htop",
    "ripgrep",
    "firefox-esr", # Debian's name for the firefox of nixpkgs
  ]
}

# services.openssh = { enable = true;
#   settings.PasswordAuthentication = false;
#   settings.PermitRootLogin = "no"; };
services {
  openssh {
    enable = true
    settings = {
      PasswordAuthentication = false
      PermitRootLogin        = "no"
    }
  }
}

# boot.kernel.sysctl = { "net.ipv4.ip_forward" = 1;
#   "net.ipv6.conf.all.forwarding" = 1; };
boot {
  kernel {
    sysctl = {
      "net.ipv4.ip_forward"          = 1 # a Tailscale exit node
      "net.ipv6.conf.all.forwarding" = 1
    }
  }
}
