"""Production gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be set from the environment (see docs/scale.md):
  GUNICORN_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (workers, default 2 x cores + 1 on
  PostgreSQL, cores + 1 on SQLite),
  GUNICORN_THREADS (default 1: sync workers), GUNICORN_ACCESS_LOG (default "-", stdout),
  TRUSTED_PROXY_IPS (comma-separated addresses of the reverse proxy; default none).

The access log has no query strings, no referrer and no user agent, and the client address is
replaced by a keyed hash (LOG_HASH_KEY, or SECRET_KEY), so it never holds an IP, an e-mail
address or a token in clear; the path of every route marked `@carries_secret` (app/logging_setup.py)
is logged with its variable parts redacted.
"""

from __future__ import annotations

import multiprocessing
import os

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def _default_workers() -> int:
    """gunicorn's 2 x cores + 1 where requests wait on a database server (PostgreSQL); cores + 1
    on SQLite, where a request never waits on the network and writers queue on one lock, so
    more processes than cores only add switches and lock waits (bench/sign_load.py: the same
    throughput, p99 45 ms instead of 80-100 ms on 2 cores)."""
    cores = multiprocessing.cpu_count()
    on_sqlite = not os.environ.get("DATABASE_URL", "").startswith("postgres")
    return cores + 1 if on_sqlite else cores * 2 + 1


workers = int(os.environ.get("WEB_CONCURRENCY") or _default_workers())
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
# Request size limits: long headers and lines are refused before the app sees them.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# X-Forwarded-Proto (HTTPS, hence HSTS and Secure cookies) is believed only from these
# addresses; the app believes X-Forwarded-For only with TRUSTED_PROXY_COUNT > 0.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXY_IPS", "")
proxy_allow_ips = forwarded_allow_ips

# gunicorn's control socket defaults to one path per user: two instances on a host would fight
# over it. Off unless a path is given.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or "gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# h: keyed hash of the client address; U: the path only (no query string).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class PrivateAccessLogger(Logger):
    """Access-log atoms without anything that identifies a signer."""

    def atoms(self, resp, req, environ, request_time):  # noqa: ANN001, ANN201
        # The worker has loaded the app, which told app.logging_setup its key and secret routes.
        from app.logging_setup import pseudonym, redact_path

        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = pseudonym(environ.get("REMOTE_ADDR") or "-")
        path = redact_path(environ.get("PATH_INFO") or "")
        atoms.update({
            "U": path, "q": "", "f": "-", "a": "-",
            "r": f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}",
        })
        # Request and response headers ({name}i / {name}o) may carry cookies or forwarded IPs.
        for name in [k for k in atoms if k.startswith("{")]:
            atoms[name] = "-"
        return atoms


logger_class = PrivateAccessLogger
