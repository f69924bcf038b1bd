"""Logging that never writes signers' e-mail addresses, IP addresses or tokens in clear."""

from __future__ import annotations

import hashlib
import logging
import re
import traceback

from flask import Flask

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4_RE = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
TOKEN_RE = re.compile(r"(token=|/confirm/|/t/)[A-Za-z0-9_\-]+")


def pseudonym(value: str) -> str:
    """A short stable hash, enough to correlate log lines without revealing the value."""
    return "h:" + hashlib.sha256(value.encode()).hexdigest()[:12]


def redact(text: str) -> str:
    """Replace e-mail addresses and IPs by pseudonyms and tokens by a placeholder."""
    text = TOKEN_RE.sub(lambda m: m.group(1) + "[redacted]", text)
    text = EMAIL_RE.sub(lambda m: pseudonym(m.group(0).lower()), text)
    return IPV4_RE.sub(lambda m: pseudonym(m.group(0)), text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_redaction(logger: logging.Logger) -> None:
    """Attach the filter to a logger and its handlers (handlers see records from children too)."""
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def install_record_factory() -> None:
    """Redact every record when it is created, whichever logger or handler it then goes to
    (a module logger, Python's last-resort stderr handler, a handler added later), including
    the text of a logged exception (SQL errors quote their parameters: addresses, tokens)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "redacting", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:  # noqa: ANN002, ANN003
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: leave it to logging's own handling
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
        return record

    factory.redacting = True
    logging.setLogRecordFactory(factory)


def configure_logging(app: Flask) -> None:
    install_record_factory()
    for name in ("", "werkzeug", "gunicorn.access", "gunicorn.error", "app", app.logger.name):
        install_redaction(logging.getLogger(name))
