#!/usr/bin/env bash
# Backs Voxdesk up into a new folder: the database (pg_dump, one consistent snapshot) and the files the database
# names (call recordings, the audio library), with checksums. Master keys are NOT in it: keep them apart, in the
# secret store the instances read them from; without them the backup's secrets (SIP passwords, provider tokens)
# cannot be decrypted.
#
# Usage: scripts/backup.sh <new folder>
# Connection: libpq's variables, as the owner role (row-level security would hide rows from the application role):
#   PGHOST, PGPORT, PGDATABASE, PGUSER (voxdesk_owner), PGPASSWORD or ~/.pgpass
# Files: VOXDESK_CALLS_RECORDINGSDIR and VOXDESK_AUDIO_DIR, as the instances have them (their defaults are
# folders in the temporary directory, as in the application).
set -euo pipefail

die() { echo "backup: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: scripts/backup.sh <new folder>"
out=$1
[ ! -e "$out" ] || [ -z "$(ls -A "$out")" ] || die "$out exists and is not empty: a backup goes into a folder of its own"
tmp=${TMPDIR:-/tmp}
recordings=${VOXDESK_CALLS_RECORDINGSDIR:-$tmp/voxdesk-recordings}
audio=${VOXDESK_AUDIO_DIR:-$tmp/voxdesk-audio}
command -v pg_dump >/dev/null || die "pg_dump not found (Debian: postgresql-client, the server's major version)"

mkdir -p "$out"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The database first, then the files: a recording is written before the row that names it, so every file the
# snapshot names is already there when the folders are copied (files newer than the snapshot come along unused).
pg_dump --format=custom --compress=6 --file="$out/database.dump" || die "pg_dump failed (is PGUSER the owner role?)"
changeset=$(psql -X -q -At -c "select id from databasechangelog order by orderexecuted desc limit 1") \
  || die "could not read the schema version"

archive() {
  local from=$1 to=$2
  if [ -d "$from" ]; then tar -C "$from" -cf "$to" .
  else tar -cf "$to" --files-from /dev/null; fi
}
archive "$recordings" "$out/recordings.tar"
archive "$audio" "$out/audio.tar"

{
  echo "started=$started"
  echo "database=${PGDATABASE:-}"
  echo "schema_changeset=$changeset"
  echo "pg_dump=$(pg_dump --version)"
  echo "recordings_files=$(tar -tf "$out/recordings.tar" | grep -vc '/$' || true)"
  echo "audio_files=$(tar -tf "$out/audio.tar" | grep -vc '/$' || true)"
} > "$out/MANIFEST"
(cd "$out" && sha256sum database.dump recordings.tar audio.tar MANIFEST > SHA256SUMS)
echo "backup: $out ($(du -sh "$out" | cut -f1)); schema at $changeset; $(grep _files= "$out/MANIFEST" | tr '\n' ' ')"
