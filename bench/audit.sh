#!/usr/bin/env bash
# `make audit`: Lighthouse and the Nu Html Checker against the demo (see bench/README.md).
# Needs Node ≥ 18 with npm, Java ≥ 11, Debian's chromium, PostgreSQL (or --sqlite) and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
command -v java >/dev/null 2>&1 || { echo "Java is required for the Nu Html Checker"; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "Node.js with npm is required"; exit 1; }
if [ ! -x node_modules/.bin/lighthouse ] || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec .venv/bin/python -m bench.audit "$@"
