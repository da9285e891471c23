#!/usr/bin/env bash
# Nightly backup (README, «Backups»): the database and its row counts from one snapshot, the uploads as a
# hard-linked copy (unchanged files take no space), BACKUP_KEEP days kept (default 14).
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/imc/media BACKUP_DIR=/var/backups/imc scripts/backup.sh
# Prints the new copy's directory last. Copy BACKUP_DIR off the machine (rsync, object storage).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
: "${BACKUP_DIR:?set BACKUP_DIR}"
keep=${BACKUP_KEEP:-14}
media=$($PY -c 'import django; django.setup(); from django.conf import settings; print(settings.MEDIA_ROOT)')

target="$BACKUP_DIR/$(date -u +%Y%m%dT%H%M%SZ)"
previous=$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*' 2>/dev/null | sort | tail -1)
$PY manage.py backup_database "$target"
mkdir -p "$target/media"
# Media after the database: a file uploaded meanwhile is extra, never missing for a row in the dump.
rsync -a ${previous:+--link-dest="$previous/media"} "$media/" "$target/media/"
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime +"$keep" -exec rm -rf {} +
echo "$target"
