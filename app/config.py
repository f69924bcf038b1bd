"""Configuration read from environment variables, with safe development defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import app.ratelimit  # noqa: F401  registers the appdb:// rate-limit storage before Flask-Limiter starts

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("APPEAL_DESK_INSTANCE", PROJECT_ROOT / "instance"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _development_secret_key() -> str:
    """Keep one random key per checkout so sessions survive restarts without a shared default."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _local_base_url() -> str:
    """http://HOST:PORT from the environment (default 127.0.0.1:5000); a wildcard listen
    address (0.0.0.0, ::) is reached on loopback, an IPv6 address goes in brackets."""
    host = os.environ.get("HOST") or "127.0.0.1"
    host = {"0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{_env_int('PORT', 5000)}"


class Config:
    """Settings for `make run` and production; every value can be set from the environment."""

    ENV_NAME = os.environ.get("APPEAL_DESK_ENV", "development")
    PRODUCTION = ENV_NAME == "production"

    SECRET_KEY = os.environ.get("SECRET_KEY") or (None if PRODUCTION else _development_secret_key())
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'appeal_desk.sqlite3'}"
    )
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 10000)
    # Links in e-mails: BASE_URL, else where `make run HOST=… PORT=…` (or `flask run`) listens.
    BASE_URL = (os.environ.get("BASE_URL") or _local_base_url()).rstrip("/")
    # Key of the pseudonyms in the logs (HMAC); SECRET_KEY when unset.
    LOG_HASH_KEY = os.environ.get("LOG_HASH_KEY") or None
    # Key of signers' e-mail hashes (duplicate check, docs/threat-model.md); SECRET_KEY when unset,
    # so setting it lets SECRET_KEY be rotated without losing the duplicate check.
    EMAIL_HASH_KEY = os.environ.get("EMAIL_HASH_KEY") or None

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Appeal Desk <appeals@localhost>")
    MAIL_TIMEOUT_S = _env_int("MAIL_TIMEOUT_S", 30)
    MAIL_TLS_CA_FILE = os.environ.get("MAIL_TLS_CA_FILE") or None  # private CA of the SMTP relay

    # Double opt-in and the outbox.
    CONFIRMATION_MAX_AGE_DAYS = _env_int("CONFIRMATION_MAX_AGE_DAYS", 7)
    # "You have already signed" e-mails one address gets at most per day (the form cannot flood it).
    ALREADY_SIGNED_EMAILS_PER_DAY = _env_int("ALREADY_SIGNED_EMAILS_PER_DAY", 3)
    # Days a statement's withdrawal link works (it is a secret sitting in a mailbox).
    WITHDRAWAL_MAX_AGE_DAYS = _env_int("WITHDRAWAL_MAX_AGE_DAYS", 90)
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_BACKOFF_BASE_S = _env_int("OUTBOX_BACKOFF_BASE_S", 30)
    OUTBOX_BATCH_SIZE = _env_int("OUTBOX_BATCH_SIZE", 50)
    OUTBOX_LEASE_S = _env_int("OUTBOX_LEASE_S", 300)
    WORKER_IDLE_SLEEP_S = _env_int("WORKER_IDLE_SLEEP_S", 5)
    # Delivery (docs/delivery.md): one SMTP connection per batch, renewed every N messages.
    OUTBOX_RECONNECT_EVERY = _env_int("OUTBOX_RECONNECT_EVERY", 100)
    FAX_GATEWAY = os.environ.get("FAX_GATEWAY") or None  # e.g. "{number}@fax.example.org"
    DELIVERY_MAX_PER_DOMAIN_PER_HOUR = _env_int("DELIVERY_MAX_PER_DOMAIN_PER_HOUR", 20)
    MAILTO_MAX_LENGTH = _env_int("MAILTO_MAX_LENGTH", 2000)
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads")
    # Files the app keeps for itself (letter previews), from APPEAL_DESK_INSTANCE.
    INSTANCE_DIR = str(INSTANCE_DIR)
    UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)

    # Abuse limits, counted in the app database (appdb://, shared by every worker and host) unless
    # RATELIMIT_STORAGE_URI names another shared store (redis://, memcached://).
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "appdb://")
    # Over this burst a signature is stored as suspect (uncounted, no e-mail); same response.
    RATELIMIT_SIGN = os.environ.get("RATELIMIT_SIGN", "10 per minute;60 per hour")
    # Over this ceiling the sign form answers 429 and stores nothing (floods).
    RATELIMIT_SIGN_CEILING = os.environ.get("RATELIMIT_SIGN_CEILING", "600 per hour")
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are believed.
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
    # Days after an appeal is closed before `flask admin purge-emails` removes signers' addresses.
    APPEAL_EMAIL_RETENTION_DAYS = _env_int("APPEAL_EMAIL_RETENTION_DAYS", 90)
    # Days before `flask admin expire-signatures` deletes an unconfirmed or suspect signature
    # (counted from signing; keep it longer than CONFIRMATION_MAX_AGE_DAYS).
    UNCONFIRMED_SIGNATURE_MAX_AGE_DAYS = _env_int("UNCONFIRMED_SIGNATURE_MAX_AGE_DAYS", 30)
    # Seconds an anonymous view of an appeal page is reused: the count and the recent signers
    # may be this old; a coordinator's change to the appeal shows at once.
    PUBLIC_PAGE_CACHE_S = _env_int("PUBLIC_PAGE_CACHE_S", 2)
    # Seconds before a link-preview card (docs/public-page.md) is drawn again with a new count.
    PREVIEW_REFRESH_S = _env_int("PREVIEW_REFRESH_S", 600)
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "5 per minute;30 per hour")
    RATELIMIT_HEADERS_ENABLED = False
    # The read-only API (docs/api.md), per key (or per client address without one).
    RATELIMIT_API = os.environ.get("RATELIMIT_API", "120 per minute;3000 per hour")
    # Webhooks (docs/api.md): attempts before an event is given up, first back-off, longest wait.
    WEBHOOK_MAX_ATTEMPTS = _env_int("WEBHOOK_MAX_ATTEMPTS", 40)
    WEBHOOK_BACKOFF_BASE_S = _env_int("WEBHOOK_BACKOFF_BASE_S", 30)
    WEBHOOK_BACKOFF_MAX_S = _env_int("WEBHOOK_BACKOFF_MAX_S", 3600)
    WEBHOOK_TIMEOUT_S = _env_int("WEBHOOK_TIMEOUT_S", 10)
    # Plain http:// endpoints only where the traffic never leaves the machine (tests, a relay).
    WEBHOOK_ALLOW_HTTP = _env_bool("WEBHOOK_ALLOW_HTTP", not PRODUCTION)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; a long read must not fail
    # On https Flask-WTF also wants a Referer from this host; under our Referrer-Policy
    # no-referrer (tokens in URLs) browsers send none, even to us, and every form failed.
    # The session-bound token is the protection; cookies are SameSite=Lax and Secure.
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 10 * 1024 * 1024)

    # Case updates a coordinator may send to an appeal's supporters in any 7 days (docs/campaign.md).
    CASE_UPDATES_PER_WEEK = _env_int("CASE_UPDATES_PER_WEEK", 2)
    # The mailto: of List-Unsubscribe (a person reads it); unset: MAIL_DEFAULT_SENDER's address.
    UNSUBSCRIBE_MAILTO = os.environ.get("UNSUBSCRIBE_MAILTO") or None

    # Directory freshness (months before a contact detail is flagged as stale).
    DIRECTORY_STALE_MONTHS = _env_int("DIRECTORY_STALE_MONTHS", 12)

    BABEL_DEFAULT_LOCALE = "en"  # the languages themselves: app/languages.py


class TestConfig(Config):
    """Settings for the test suite: real database file chosen by the fixture, limits off."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    RATELIMIT_ENABLED = False
    MAIL_SERVER = None
    MAIL_SUPPRESS_SEND = False  # tests send to a real SMTP server on loopback
    OUTBOX_BACKOFF_BASE_S = 0
    WEBHOOK_BACKOFF_BASE_S = 0
    SERVER_NAME = None
    PUBLIC_PAGE_CACHE_S = 0  # tests read their own writes at once (tests/security turn it on)
