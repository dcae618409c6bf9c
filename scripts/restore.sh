#!/usr/bin/env bash
# Restores a folder written by scripts/backup.sh into an EMPTY database and empty file folders, then the instances
# start on it as usual (Liquibase finds the schema up to date, or applies what a newer release adds).
#
# Usage: scripts/restore.sh <backup folder>
# Before: create the database and roles with db/setup/create-database.sql (as a PostgreSQL superuser), and give
# the instances the same master keys as when the backup was made.
# Connection: libpq's variables for the TARGET database, as the owner role: PGHOST, PGPORT, PGDATABASE, PGUSER
# (voxdesk_owner), PGPASSWORD or ~/.pgpass. Files: VOXDESK_CALLS_RECORDINGSDIR and VOXDESK_AUDIO_DIR.
set -euo pipefail

die() { echo "restore: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: scripts/restore.sh <backup folder>"
from=$1
[ -f "$from/SHA256SUMS" ] || die "$from holds no backup (no SHA256SUMS)"
(cd "$from" && sha256sum --quiet --check SHA256SUMS) || die "$from is damaged: a checksum does not match"
tmp=${TMPDIR:-/tmp}
recordings=${VOXDESK_CALLS_RECORDINGSDIR:-$tmp/voxdesk-recordings}
audio=${VOXDESK_AUDIO_DIR:-$tmp/voxdesk-audio}

# Never over live data: the target must be a database with nothing in it, and the folders empty.
tables=$(psql -X -q -At -c "select count(*) from pg_tables where schemaname = 'public'") \
  || die "cannot connect to the target database ${PGDATABASE:-} as ${PGUSER:-$(id -un)}"
[ "$tables" = 0 ] || die "the target database ${PGDATABASE:-} is not empty ($tables tables): restore into a new one"
for dir in "$recordings" "$audio"; do
  [ ! -d "$dir" ] || [ -z "$(ls -A "$dir")" ] || die "$dir is not empty: restore the files into an empty folder"
done

# --no-owner: every object becomes the restoring owner role's; the grants to the application role come along.
# --clean --if-exists: the empty target's own public schema gives way to the backup's.
pg_restore --exit-on-error --single-transaction --no-owner --clean --if-exists --dbname="${PGDATABASE:-}" \
  "$from/database.dump" || die "pg_restore failed; the target database was left as it was"
mkdir -p "$recordings" "$audio"
tar -C "$recordings" -xf "$from/recordings.tar"
tar -C "$audio" -xf "$from/audio.tar"
changeset=$(psql -X -q -At -c "select id from databasechangelog order by orderexecuted desc limit 1")
echo "restore: ${PGDATABASE:-} at $changeset, $(grep _files= "$from/MANIFEST" | tr '\n' ' ')from $(grep started= "$from/MANIFEST" | cut -d= -f2)"
