# Shared by scripts/run.sh, scripts/test.sh and the bench scripts' wrapper.
# Source it from the repository root.

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install the Debian packages named, if any of them is missing.
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Create .venv and install the pinned requirements of the file named (default
# requirements.txt; scripts/test.sh passes requirements-dev.txt), again only
# when that file or one it includes with "-r" changes. Each file has its own
# stamp, over its own text and that of the files it includes, so installing
# the development set after the runtime set installs again whenever either
# file has changed since.
ensure_venv() {
  local requirements=${1:-requirements.txt}
  local python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    if ! "$python" -m venv .venv 2>/dev/null; then
      rm -rf .venv
      ensure_debian_packages python3-venv
      "$python" -m venv .venv
    fi
  fi
  local files=("$requirements") i=0 include
  while [ "$i" -lt "${#files[@]}" ]; do
    while read -r include; do
      files+=("$(dirname "${files[$i]}")/$include")
    done < <(sed -nE 's/^[[:space:]]*(-r|--requirement)[[:space:]=]+([^[:space:]#]+).*/\2/p' "${files[$i]}")
    i=$((i + 1))
  done
  local stamp=".venv/.$(basename "$requirements").sha256"
  local want
  want=$(sha256sum "${files[@]}" | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing Python packages from $requirements"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r "$requirements"
    echo "$want" > "$stamp"
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Run a PostgreSQL server command as an unprivileged user (initdb refuses root).
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

# Start a throwaway PostgreSQL server (socket only, no fsync) in a new folder;
# sets PG_DIR and exports DATABASE_URL.
start_throwaway_postgres() {
  PG_DIR=$(mktemp -d /tmp/hanoi-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
  pg_as_owner "$PG_BIN/initdb -D $PG_DIR/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >$PG_DIR/initdb.log 2>&1"
  pg_as_owner "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log -w -o \"-c listen_addresses='' -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null"
  pg_as_owner "$PG_BIN/createdb -h $PG_DIR -U postgres hanoi"
  export DATABASE_URL="postgres://postgres@/hanoi?host=$PG_DIR"
}

stop_throwaway_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    pg_as_owner "$PG_BIN/pg_ctl -D $PG_DIR/data -m immediate stop >/dev/null 2>&1" || true
    rm -rf "$PG_DIR"
  fi
}

# Start a throwaway Redis server on a free port; sets REDIS_PID, exports
# TEST_REDIS_URL.
start_throwaway_redis() {
  local port
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --daemonize no --loglevel warning >/dev/null 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$port" ping >/dev/null
  export TEST_REDIS_URL="redis://127.0.0.1:$port/0"
}

stop_throwaway_redis() {
  if [ -n "${REDIS_PID:-}" ]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
}

# supervise NAME COMMAND [ARGS...]: run COMMAND, and run it again whenever it
# exits (a crash, a SIGKILL, a Celery "Unrecoverable error"), until this
# shell gets SIGTERM, SIGINT or SIGHUP: then send COMMAND SIGTERM (for a
# Celery worker a warm shutdown: running tasks finish), wait for it and
# return. Reports on stderr "supervise: NAME started (pid N)" and
# "supervise: NAME (pid N) exited with status S after T s; starting it again
# in D s". The pause before a restart is 1 s, doubling up to 30 s while
# COMMAND keeps exiting within 30 s of its start.
supervise() {
  local name=$1
  shift
  local child="" stopping="" delay=1 status started ran pause
  trap 'stopping=1; if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi' TERM INT HUP
  while [ -z "$stopping" ]; do
    started=$SECONDS
    "$@" &
    child=$!
    echo "supervise: $name started (pid $child)" >&2
    # A signal that came before $child was set: pass it on now.
    if [ -n "$stopping" ]; then kill -TERM "$child" 2>/dev/null || true; fi
    status=0
    wait "$child" || status=$?
    # A trapped signal interrupts wait: wait until COMMAND has really exited.
    while kill -0 "$child" 2>/dev/null; do
      status=0
      wait "$child" || status=$?
    done
    [ -z "$stopping" ] || break
    ran=$((SECONDS - started))
    [ "$ran" -lt 30 ] || delay=1
    echo "supervise: $name (pid $child) exited with status $status after $ran s; starting it again in $delay s" >&2
    child=""
    sleep "$delay" &
    pause=$!
    wait "$pause" || true
    kill "$pause" 2>/dev/null || true
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
  trap - TERM INT HUP
}
