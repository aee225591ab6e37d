#!/usr/bin/env bash
# The production-like run on one machine: the production settings
# (DJANGO_DEBUG=false, static files collected and served by WhiteNoise with
# hashed, compressed names, a shared Redis cache), gunicorn, a Celery worker
# and celery beat (deploy/Procfile, run by honcho), against a throwaway
# PostgreSQL and Redis on loopback that this script starts and stops.
#
#   bash scripts/prod_like.sh            # serves http://127.0.0.1:8000/
#   PORT=8123 DEMO=1 bash scripts/prod_like.sh
#
# DEMO=1 loads the demo data (load_demo) first. Ctrl-C (or SIGTERM) stops
# everything. Before honcho starts it prints one line
#   PROD_LIKE DATABASE_URL=... REDIS_URL=... URL=...
# (tests/production reads it). Differences from a real deployment, all for
# plain HTTP on loopback: SECURE_SSL_REDIRECT=false, and no TLS in front;
# cookies stay Secure (browsers keep Secure cookies for localhost).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_debian_packages postgresql-15 redis-server fonts-dejavu-core fonts-noto-core fonts-wqy-microhei
ensure_venv requirements-dev.txt
PY=.venv/bin/python

cleanup() {
  stop_throwaway_redis
  stop_throwaway_postgres
  rm -rf "${STATE_DIR:-}"
}
trap cleanup EXIT
start_throwaway_postgres
start_throwaway_redis
STATE_DIR=$(mktemp -d /tmp/hanoi-prod-like.XXXXXX)

port=${PORT:-8000}
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(50))')}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SITE_URL=${SITE_URL:-http://localhost:$port}
export SECURE_SSL_REDIRECT=false
export CELERY_BROKER_URL=${TEST_REDIS_URL%/0}/0
export CACHE_URL=${TEST_REDIS_URL%/0}/1
export MEDIA_ROOT=${MEDIA_ROOT:-$STATE_DIR/media}
# Collected once and kept (compressing every file takes a minute on a busy
# machine): collected again whenever the static sources or the installed
# packages change.
export STATIC_ROOT=${STATIC_ROOT:-/tmp/hanoi-prod-like-static}
export LOG_FORMAT=${LOG_FORMAT:-json}
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
export EMAIL_URL=${EMAIL_URL:-consolemail://}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
export CELERY_CONCURRENCY=${CELERY_CONCURRENCY:-2}
export CELERY_LOG_LEVEL=${CELERY_LOG_LEVEL:-info}
export GUNICORN_ACCESS_LOG=${GUNICORN_ACCESS_LOG-}

# The deploy steps of docs/deploy.md, in order.
$PY manage.py migrate --noinput -v0
static_stamp=$( (find static -type f -print0 | sort -z | xargs -0 sha256sum; .venv/bin/pip freeze) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STATIC_ROOT/.stamp" 2>/dev/null)" != "$static_stamp" ]; then
  rm -rf "$STATIC_ROOT"
  $PY manage.py collectstatic --noinput -v0
  echo "$static_stamp" > "$STATIC_ROOT/.stamp"
fi
$PY manage.py check --deploy --fail-level ERROR
if [ "${DEMO:-0}" = 1 ]; then $PY manage.py load_demo; fi

echo "PROD_LIKE DATABASE_URL=$DATABASE_URL REDIS_URL=$TEST_REDIS_URL URL=http://localhost:$port/"
# exec would skip the cleanup trap: honcho runs as a child; it passes SIGTERM
# and SIGINT to the three processes and returns when they stopped.
.venv/bin/honcho -f deploy/Procfile -d . start -p "$port" &
honcho=$!
trap 'kill -TERM "$honcho" 2>/dev/null || true' TERM INT HUP
while kill -0 "$honcho" 2>/dev/null; do wait "$honcho" || true; done
