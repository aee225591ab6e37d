#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh:
#   deploy/restore.sh BACKUP_FOLDER
# into the database DATABASE_URL (its tables are replaced: pg_restore --clean,
# in one transaction, so a failed restore changes nothing) and the folder
# MEDIA_ROOT (the backup's files are unpacked over it). Checks the checksums
# first; then runs manage.py migrate (a backup from older code is brought up
# to this code's schema). Stop the web processes, workers and beat first
# (docs/deploy.md, "Restore").
set -euo pipefail
cd "$(dirname "$0")/.."

backup=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
: "${DATABASE_URL:?DATABASE_URL must name the database to restore into}"
: "${MEDIA_ROOT:?MEDIA_ROOT must name the private media folder}"
pg_restore=${PG_BIN:+$PG_BIN/}pg_restore

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) \
  || { echo "restore: $backup fails its checksums; nothing restored" >&2; exit 1; }

"$pg_restore" --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$DATABASE_URL" "$backup/db.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
"${PYTHON:-.venv/bin/python}" manage.py migrate --noinput
echo "restored $backup"
