#!/usr/bin/env bash
# A Celery worker and celery beat on CELERY_BROKER_URL, each started again
# whenever it exits (supervise, in scripts/lib.sh: 1 s pause, longer while it
# keeps failing); scripts/run.sh runs this when CELERY_BROKER_URL is set.
# SIGTERM, SIGINT or SIGHUP stops both (the worker finishes its running
# tasks) and then this script. CELERY_LOG_LEVEL (default warning) and
# CELERY_CONCURRENCY (default 2) set the log level and the worker processes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

: "${CELERY_BROKER_URL:?CELERY_BROKER_URL must name the broker (redis://host:6379/0)}"
level=${CELERY_LOG_LEVEL:-warning}

supervise worker .venv/bin/celery -A hanoi_event worker -l "$level" \
  -c "${CELERY_CONCURRENCY:-2}" &
worker=$!
supervise beat .venv/bin/celery -A hanoi_event beat -l "$level" &
beat=$!

trap 'kill -TERM "$worker" "$beat" 2>/dev/null || true' TERM INT HUP
# wait returns early when a signal arrives: wait until both have stopped.
while kill -0 "$worker" 2>/dev/null || kill -0 "$beat" 2>/dev/null; do
  wait || true
done
