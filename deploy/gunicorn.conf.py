"""gunicorn settings for the web processes (``gunicorn -c deploy/gunicorn.conf.py
hanoi_event.wsgi``). Every value can be changed through the environment, so
the systemd unit, deploy/Procfile and the tests share this one file.

* Workers: ``WEB_CONCURRENCY`` processes (default 2 x cores + 1), each with
  ``GUNICORN_THREADS`` threads (default 4: a request waiting on PostgreSQL
  leaves the process free for another). Each thread may hold one PostgreSQL
  connection: plan max_connections for hosts x workers x threads, plus the
  Celery workers.
* Timeouts: a request has ``GUNICORN_TIMEOUT`` seconds (default 30; the
  slowest page, a badge PDF, takes about 1 s); on SIGTERM/SIGHUP a worker
  finishes its requests within ``GUNICORN_GRACEFUL_TIMEOUT`` (default 30).
* Forwarded headers: only the proxies in ``FORWARDED_ALLOW_IPS`` (default
  127.0.0.1; the load balancer's addresses in production) may set
  X-Forwarded-Proto/-For; Django trusts X-Forwarded-Proto for HTTPS
  (SECURE_PROXY_SSL_HEADER), so it must not come from anyone else.
* Bind: ``GUNICORN_BIND`` (default 127.0.0.1:$PORT, PORT default 8000).
* Logs: access log to stdout (``GUNICORN_ACCESS_LOG=-``; empty turns it off),
  errors to stderr; journald keeps both.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then (a slow leak never grows for days).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '{"remote": "%({x-forwarded-for}i)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, "agent": "%(a)s"}'
)
proc_name = os.environ.get("GUNICORN_PROC_NAME", "hanoi-web")
