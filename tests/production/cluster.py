"""Several web processes behind one address, for the cluster tests: gunicorn
(deploy/gunicorn.conf.py) as its own process group, and a round-robin HTTP
proxy on loopback (the load balancer's part: each request to the next web
process, X-Forwarded-For/-Proto added; it records which backend served each
request). No pytest here."""

from __future__ import annotations

import http.client
import http.server
import os
import signal
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path

from tests.processes import ROOT, VENV_BIN, free_port, wait_for


class Gunicorn:
    def __init__(self, env: dict, log_dir: Path, name: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"{name}.log"
        self.env = {
            **env,
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "1",
            "GUNICORN_THREADS": "2",
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_PROC_NAME": name,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    str(VENV_BIN / "gunicorn"),
                    "-c",
                    "deploy/gunicorn.conf.py",
                    "hanoi_event.wsgi",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._live, 60, 0.2, f"gunicorn on {self.url}")

    def _live(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(self.log_path.read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"{self.url}/health/live", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


class RoundRobinProxy:
    """``http://127.0.0.1:<port>`` forwards each request to the next backend
    in turn. ``served`` lists the backend index of every request."""

    def __init__(self, backends: list[str]):
        self.backends = [b.removeprefix("http://") for b in backends]
        self.served: list[int] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                with proxy.lock:
                    index = len(proxy.served) % len(proxy.backends)
                    proxy.served.append(index)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() != "connection"
                }
                headers["X-Forwarded-For"] = self.client_address[0]
                headers["X-Forwarded-Proto"] = "http"
                upstream = http.client.HTTPConnection(proxy.backends[index], timeout=30)
                try:
                    upstream.request(self.command, self.path, body, headers)
                    response = upstream.getresponse()
                    data = response.read()
                    self.send_response(response.status, response.reason)
                    for key, value in response.getheaders():
                        if key.lower() not in {
                            "connection",
                            "transfer-encoding",
                            "content-length",
                        }:
                            self.send_header(key, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    upstream.close()

            do_GET = do_POST = do_HEAD = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
