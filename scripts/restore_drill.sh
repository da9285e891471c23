#!/usr/bin/env bash
# Restore drill: a backup (scripts/backup.sh) restored into a fresh database, checked, then dropped.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/imc scripts/restore_drill.sh /var/backups/imc/20261201T020000Z
# Uses the server and credentials of DATABASE_URL; the live database is never touched.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
backup=${1:?usage: restore_drill.sh BACKUP_DIR}
: "${DATABASE_URL:?set DATABASE_URL (the server to restore on)}"
drill="imc_restore_drill_$$"
server=${DATABASE_URL%/*}
psql -q "$server/postgres" -c "CREATE DATABASE $drill"
trap 'psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $drill WITH (FORCE)"' EXIT
started=$(date +%s)
pg_restore --no-owner --exit-on-error -d "$server/$drill" "$backup/database.dump"
echo "pg_restore: $(( $(date +%s) - started )) s"
DATABASE_URL="$server/$drill" $PY manage.py check_restore "$backup" --media "$backup/media"
