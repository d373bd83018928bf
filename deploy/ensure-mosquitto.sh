#!/usr/bin/env bash
# Make sure a Mosquitto broker binary is available; install it with apt-get where we can.
set -euo pipefail
for candidate in "$(command -v mosquitto || true)" /usr/sbin/mosquitto /usr/local/sbin/mosquitto /opt/homebrew/sbin/mosquitto; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "Installing Mosquitto with apt-get…"
    (apt-get install -y -q mosquitto >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q mosquitto >/dev/null; })
    exit 0
  elif sudo -n true 2>/dev/null; then
    echo "Installing Mosquitto with sudo apt-get…"
    (sudo -n apt-get install -y -q mosquitto >/dev/null 2>&1 || { sudo -n apt-get update -q >/dev/null && sudo -n apt-get install -y -q mosquitto >/dev/null; })
    exit 0
  fi
fi
echo "Mosquitto is needed and could not be installed automatically." >&2
echo "Install it, then run this again:  sudo apt-get install mosquitto   (macOS: brew install mosquitto)" >&2
exit 1
