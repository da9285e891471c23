#!/usr/bin/env bash
# System tools the suite drives, installed once by `make install-dev` (and so by `make test`):
# Debian's Chromium for browser tests, nginx for the shipped configuration (tests/core/test_nginx_media.py),
# Java and vnu.jar for the Nu Html Checker (tests/browser/test_html_validity.py), systemd-analyze for the
# shipped units (tests/deploy/test_systemd.py), wrk for the benchmarks' own tests (tests/bench/). No browser
# downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
VNU_JAR=node_modules/vnu-jar/build/dist/vnu.jar
if ! command -v chromium >/dev/null 2>&1 || ! { command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 \
  || ! command -v java >/dev/null 2>&1 || ! command -v systemd-analyze >/dev/null 2>&1 \
  || ! command -v wrk >/dev/null 2>&1 || { [ ! -f $VNU_JAR ] && ! command -v npm >/dev/null 2>&1; }; then
  packages="chromium nginx openssl default-jre-headless systemd wrk"
  [ -f $VNU_JAR ] || command -v npm >/dev/null 2>&1 || packages="$packages nodejs npm"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  fi
fi
# vnu.jar from package.json / package-lock.json (npm `vnu-jar`), as `make audit` uses it. Lighthouse (203
# packages, `make audit` only) is an optional dependency left out here: 1 s instead of 7 s of a fresh clone's run.
[ -f $VNU_JAR ] || npm ci --omit=optional --no-audit --no-fund --loglevel=error
