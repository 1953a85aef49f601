#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded browser). Installs it with apt-get when missing.
set -euo pipefail
if command -v chromium > /dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's chromium for the browser tests (about 30 s)..."
  apt-get update -qq > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
else
  echo "chromium is missing: install it with 'sudo apt-get install chromium' to run the browser tests." >&2
  exit 1
fi
