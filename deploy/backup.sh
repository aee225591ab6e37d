#!/usr/bin/env bash
# One backup of the platform's data into BACKUP_DIR/<UTC time>/:
#   db.dump     PostgreSQL, pg_dump custom format (compressed; pg_restore reads it)
#   media.tar.gz  the private uploads under MEDIA_ROOT (photos, notes verbales,
#                 full powers, badge PDFs)
#   SHA256SUMS  checksums of both (restore.sh checks them first)
# The folder appears complete or not at all (written as .partial, then
# renamed). Backups older than BACKUP_KEEP_DAYS days (default 14) are removed.
# Reads DATABASE_URL, MEDIA_ROOT, BACKUP_DIR (and PG_BIN: a folder holding
# pg_dump, for a client of the server's major version). Prints the folder.
# Run by deploy/systemd/hanoi-backup.timer; safe while the site runs
# (pg_dump reads one consistent snapshot).
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must name the database}"
: "${BACKUP_DIR:?BACKUP_DIR must name the backup folder}"
: "${MEDIA_ROOT:?MEDIA_ROOT must name the private media folder}"
keep_days=${BACKUP_KEEP_DAYS:-14}
pg_dump=${PG_BIN:+$PG_BIN/}pg_dump

stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$BACKUP_DIR/$stamp"
partial="$final.partial"
mkdir -p "$partial"
trap 'rm -rf "$partial"' ERR

# libpq reads the postgres:// URL itself (user, password, host or socket).
"$pg_dump" --format=custom --no-owner --no-privileges \
  --dbname="$DATABASE_URL" --file="$partial/db.dump"
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$partial/media.tar.gz" .
else
  tar -czf "$partial/media.tar.gz" --files-from /dev/null
fi
(cd "$partial" && sha256sum db.dump media.tar.gz > SHA256SUMS)
mv "$partial" "$final"

find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '*T*Z' \
  -mtime "+$keep_days" -exec rm -rf {} +
echo "$final"
