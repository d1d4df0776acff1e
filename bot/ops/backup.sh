#!/bin/sh
# Backup and restore of the PostgreSQL databases (see bot/ops/backup.py and docs/deployment.md).
#   bot/ops/backup.sh dump --to /backups/$(date +%F)
#   bot/ops/backup.sh restore --from /backups/2026-12-01 --database-url postgresql://...
# Settings (WW_DATABASE_URL, WW_TRACKER_STORE_URL) come from the environment, as for every process.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-"$here/.venv/bin/python"}
[ -x "$python" ] || python=python3
cd "$here"
exec "$python" -m bot.ops.backup "$@"
