#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/test_browser.py drives it through Playwright's
# Python package with executable_path=/usr/bin/chromium). No browser is ever downloaded by a
# test tool; nothing happens when Chromium is already installed.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get here; install Chromium yourself (the browser tests are skipped without it)" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; then
  echo "install-browser: $(/usr/bin/chromium --version)"
else
  echo "install-browser: could not install Debian's chromium; the browser tests will be skipped" >&2
fi
