#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv

# Chromium, nginx, Java and vnu.jar come from `make install-dev` (scripts/install_test_tools.sh);
# checked again here so that running this script directly also works.
bash scripts/install_test_tools.sh

DATABASE_URL=$(bash scripts/ensure_postgres.sh)
export DATABASE_URL
export DJANGO_SETTINGS_MODULE=imc_site.settings.test
# Unique database names: two checkouts (or a developer and CI) can share one server.
run_id="$$"

# The browser session runs alongside the rest: it waits on Chromium and the network far more than it
# computes (about one core of two), so sequentially each half left a core idle. It starts before the
# quality gates, which use one core for ≈ 7 s. Its output follows the other half's; the script fails if
# either does (or a gate: the trap stops it).
browser_log=$(mktemp)
IMC_TEST_DB="test_imc_browser_${run_id}" $VENV/bin/pytest -p no:cacheprovider -m browser --durations=10 "$@" \
  >"$browser_log" 2>&1 &
browser_pid=$!
trap 'kill "$browser_pid" 2>/dev/null || true; rm -f "$browser_log"' EXIT

echo "== Quality gates"
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .
$VENV/bin/djhtml --check templates */templates  # template indentation; `make format-templates` fixes it
$VENV/bin/lint-imports  # imc_site → apps → core, apps independent (pyproject.toml)
env -u DATABASE_URL DJANGO_SETTINGS_MODULE=imc_site.settings.dev $VENV/bin/python manage.py makemigrations --check --dry-run
DJANGO_SETTINGS_MODULE=imc_site.settings.production \
  SECRET_KEY="check-deploy-$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
  ALLOWED_HOSTS=imc.example.ru SITE_URL=https://imc.example.ru DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
  REDIS_URL=redis://127.0.0.1:6379/0 TRUSTED_PROXY_COUNT=1 \
  $VENV/bin/python manage.py check --deploy --fail-level WARNING

echo "== Unit and integration tests on PostgreSQL, SQLite smoke (parallel, shuffled)"
# Coverage of the application code, gated by [tool.coverage.report] fail_under in pyproject.toml.
# --dist loadgroup: a module's shared data (tests marked xdist_group) is built by one worker only.
status=0
IMC_TEST_DB="test_imc_${run_id}" $VENV/bin/pytest -n 2 --dist loadgroup -p no:cacheprovider -m "not browser" \
  --cov --cov-report=term:skip-covered --durations=15 "$@" || status=$?

echo "== Browser tests: headless Chromium + axe-core over the demo content (started with the above)"
browser_status=0
wait "$browser_pid" || browser_status=$?
cat "$browser_log"
[ "$status" = 0 ] && [ "$browser_status" = 0 ]
