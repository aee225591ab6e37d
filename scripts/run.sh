#!/usr/bin/env bash
# Runs the platform with demo data on the embedded default (SQLite, tasks
# in-process, mail to the console): installs Python packages into .venv,
# migrates, loads reference and demo data (idempotent), creates the demo
# organizer account and serves the site on http://127.0.0.1:8000/.
# With CELERY_BROKER_URL set (for example redis://127.0.0.1:6379/0), it also
# starts a Celery worker and celery beat next to the web server, each started
# again whenever it exits (scripts/supervise.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

# Fonts for the PDFs (badges, List of Participants, run sheet): Latin,
# Vietnamese and Cyrillic (DejaVu), Arabic and Thai (Noto), Chinese (WenQuanYi).
ensure_debian_packages fonts-dejavu-core fonts-noto-core fonts-wqy-microhei
ensure_venv requirements.txt
PY=.venv/bin/python

$PY manage.py migrate --noinput
$PY manage.py load_demo

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # supervise.sh returns once the worker (warm shutdown) and beat stopped.
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
if [ -n "${CELERY_BROKER_URL:-}" ]; then
  echo "Starting a Celery worker and beat on $CELERY_BROKER_URL (started again if they exit)"
  # A session of its own: Ctrl-C reaches the web server only; cleanup stops
  # the worker and beat, so the supervisor does not start them again.
  setsid bash scripts/supervise.sh &
  pids+=($!)
fi

$PY manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
