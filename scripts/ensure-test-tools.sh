#!/usr/bin/env bash
# Makes sure the two system tools the tests drive are present: a Java JDK
# (DynamoDB Local runs on it; its compiler builds the small launcher that keeps
# DynamoDB Local on 127.0.0.1) and Debian's Chromium (the web client's
# end-to-end tests). On a machine where we are root and apt is available, a missing one
# is installed; anywhere else, the message says what to install.
set -euo pipefail

missing=()
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
[ -x "${PARLEY_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the tests need: ${missing[*]} (Debian packages)…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]}. Install them (e.g. apt-get install ${missing[*]}) and run again." >&2
  exit 1
fi
