#!/usr/bin/env bash
# The whole suite, as `make test` and CI run it.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv

echo "== Chromium for browser tests, nginx for the shipped nginx configuration (tests/core/test_nginx_media.py),"
echo "   Java and Node for the Nu Html Checker (tests/browser/test_html_validity.py)"
VNU_JAR=node_modules/vnu-jar/build/dist/vnu.jar
if ! command -v chromium >/dev/null 2>&1 || ! { command -v nginx || [ -x /usr/sbin/nginx ]; } >/dev/null 2>&1 \
  || ! command -v java >/dev/null 2>&1 || { [ ! -f $VNU_JAR ] && ! command -v npm >/dev/null 2>&1; }; then
  packages="chromium nginx openssl default-jre-headless"
  [ -f $VNU_JAR ] || command -v npm >/dev/null 2>&1 || packages="$packages nodejs npm"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  fi
fi
# vnu.jar from package.json / package-lock.json (npm `vnu-jar`), as `make audit` uses it.
[ -f $VNU_JAR ] || npm ci --no-audit --no-fund --loglevel=error

echo "== Quality gates"
$VENV/bin/ruff check .
$VENV/bin/lint-imports  # imc_site → apps → core, apps independent (pyproject.toml)
DJANGO_SETTINGS_MODULE=imc_site.settings.dev $VENV/bin/python manage.py makemigrations --check --dry-run
DJANGO_SETTINGS_MODULE=imc_site.settings.production \
  SECRET_KEY="check-deploy-$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
  ALLOWED_HOSTS=imc.example.ru SITE_URL=https://imc.example.ru DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
  REDIS_URL=redis://127.0.0.1:6379/0 TRUSTED_PROXY_COUNT=1 \
  $VENV/bin/python manage.py check --deploy --fail-level WARNING

DATABASE_URL=$(bash scripts/ensure_postgres.sh)
export DATABASE_URL
export DJANGO_SETTINGS_MODULE=imc_site.settings.test
# Unique database names: two checkouts (or a developer and CI) can share one server.
run_id="$$"

echo "== Unit and integration tests on PostgreSQL, SQLite smoke (parallel, shuffled)"
IMC_TEST_DB="test_imc_${run_id}" $VENV/bin/pytest -n 2 -p no:cacheprovider -m "not browser" "$@"

echo "== Browser tests: headless Chromium + axe-core over the demo content"
IMC_TEST_DB="test_imc_browser_${run_id}" $VENV/bin/pytest -p no:cacheprovider -m browser "$@"
