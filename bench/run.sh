#!/usr/bin/env bash
# `make bench`: throughput of the foundation pages (see bench/README.md). Needs PostgreSQL
# (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432), Redis (BENCH_REDIS_URL, default db 15) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null 2>&1; then  # Debian's package, as the test command does for Chromium
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
mkdir -p bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
.venv/bin/python -m bench.foundation --json "bench/results/foundation-${stamp}.json" "$@"
# Other apps' benchmarks (bench/<app>.py) run after the foundation when present; the storms last (they bring
# up `make stack` when it is not running, and stop it again).
for script in bench/events.py bench/contests.py bench/atlas.py bench/safe_internet.py bench/search.py bench/peer.py bench/storms.py; do
  if [ -f "$script" ]; then
    module="bench.$(basename "$script" .py)"
    echo; echo "== $module"
    .venv/bin/python -m "$module" || echo "$module failed (exit $?)"
  fi
done
