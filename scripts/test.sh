#!/usr/bin/env bash
# The whole test suite against throwaway PostgreSQL and Redis servers.
# Installs what it needs (Debian packages as root or through sudo, Python
# packages of requirements-dev.txt into .venv), starts the servers, checks
# the project (manage.py check, migrations, the layers contract), runs pytest,
# stops the servers.
# Extra arguments go to pytest (for example: scripts/test.sh -k outbox).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_debian_packages postgresql-15 redis-server chromium gettext fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-wqy-microhei
ensure_venv requirements-dev.txt

trap 'stop_throwaway_redis; stop_throwaway_postgres' EXIT
start_throwaway_postgres
start_throwaway_redis
echo "PostgreSQL: $DATABASE_URL  Redis: $TEST_REDIS_URL"

.venv/bin/python manage.py check --fail-level WARNING
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "Models and migrations differ: run makemigrations." >&2; exit 1; }
.venv/bin/lint-imports --no-logo \
  || { echo "An import breaks the layers contract in pyproject.toml (see above)." >&2; exit 1; }
.venv/bin/python -m pytest "$@"
