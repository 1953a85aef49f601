#!/usr/bin/env bash
# Installs a Debian package when its command is missing: browser tests drive Debian's chromium (never a downloaded
# browser); the routing benchmark uses wrk.   usage: ensure_package.sh COMMAND [PACKAGE]
set -euo pipefail
command_name=$1
package=${2:-$1}
if command -v "$command_name" > /dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's $package..."
  apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" > /dev/null
else
  echo "$command_name is missing: install it with 'sudo apt-get install $package'." >&2
  exit 1
fi
