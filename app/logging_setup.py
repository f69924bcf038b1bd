"""Logging that never writes signers' e-mail addresses, IP addresses or tokens in clear.

Addresses (e-mail, IPv4, IPv6) become keyed pseudonyms (HMAC with LOG_HASH_KEY, or SECRET_KEY):
stable enough to follow one client through the log, useless to anyone without the key.
A URL whose route is marked `@carries_secret` where it is declared is logged with its variable
parts and query string replaced by `[redacted]`; the app's url_map says which paths those are.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import re
import traceback

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect, Rule

# Before the @, every character email-validator accepts (RFC 5322 atext and dots), except
# that a quote or a dot does not start it: 'a@b.org' in a repr keeps its quotes and pseudonym.
EMAIL_RE = re.compile(r"[\w!#$%&*+/=?^{|}~-][\w.!#$%&'*+/=?^`{|}~-]*@[\w-]+(?:\.[\w-]+)+")
# An address after `://` is a server's (werkzeug's "Running on http://127.0.0.1:5000"), not a client's.
IPV4_RE = re.compile(r"(?<!://)\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6_CANDIDATE_RE = re.compile(r"(?<![\w:/\[])\[?((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f.]*)\]?")
# A path in a log line (after a space or a quote, or in a URL), up to the next space or quote.
PATH_RE = re.compile(r'(?<=[\s"\'(])/[^\s"\'<>]*')
URL_RE = re.compile(r'(https?://[^\s/"\'<>]+)(/[^\s"\'<>]*)')
REDACTED = "[redacted]"
SECRET_MARK = "carries_secret"
_VARIABLE_PART = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")

# A variable part of a secret route, found anywhere in a text: it ends at a slash, a query,
# whitespace, a quote, a bracket, a comma, a semicolon or a backslash (a line break that an
# error message wrote as \n), so a link glued to what follows it is still found.
_SEGMENT = r"[^/?#\s\"'<>()\[\],;\\]+"
_QUERY = r"(\?[^\s\"'<>\\]*)?"

_state: dict = {"key": None, "secret_map": None, "secret_patterns": ()}


def carries_secret(view):  # noqa: ANN001, ANN201
    """Mark a view whose URL carries a secret (a token in the path or the query string): the
    logs (app and gunicorn's access log) print its path with the variable parts redacted."""
    setattr(view, SECRET_MARK, True)
    return view


def secret_rules(app: Flask) -> list[Rule]:
    """The app's URL rules whose view is marked with `carries_secret`."""
    return [rule for rule in app.url_map.iter_rules()
            if getattr(app.view_functions.get(rule.endpoint), SECRET_MARK, False)]


def _hash_key() -> bytes:
    key = _state["key"] or os.environ.get("LOG_HASH_KEY") or os.environ.get("SECRET_KEY") or ""
    return key.encode()


def pseudonym(value: str) -> str:
    """A short keyed hash, enough to correlate log lines without revealing the value."""
    return "h:" + hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()[:12]


def redact_path(path: str) -> str:
    """The path (with or without query string) with every secret part replaced by `[redacted]`."""
    secret_map = _state["secret_map"]
    bare, _, query = path.partition("?")
    if secret_map is None or not bare.startswith("/"):
        return path
    try:
        rule, _args = secret_map.bind("localhost").match(bare, return_rule=True)
    except RequestRedirect:  # a secret route spelled with `//`: say nothing of it
        return "/" + REDACTED
    except HTTPException:  # no secret route: the path as it is
        return path
    return _VARIABLE_PART.sub(REDACTED, rule.rule) + (f"?{REDACTED}" if query else "")


def _secret_pattern(rule: str) -> tuple[re.Pattern, str]:
    """`rule` as a regex finding its paths (and query) anywhere, and the path it leaves."""
    parts = _VARIABLE_PART.split(rule)  # static, name, static, name, ..., static
    body = "".join(re.escape(part) if index % 2 == 0 else _SEGMENT
                   for index, part in enumerate(parts))
    return re.compile(body + _QUERY), _VARIABLE_PART.sub(REDACTED, rule)


def _redact_secret_links(text: str) -> str:
    """Every path of a secret route in `text`, wherever it stands and whatever follows it."""
    for pattern, redacted in _state["secret_patterns"]:
        text = pattern.sub(lambda m, path=redacted: path + (f"?{REDACTED}" if m.group(1) else ""),
                           text)
    return text


def _ipv6(match: re.Match) -> str:
    try:
        ipaddress.IPv6Address(match.group(1))
    except ValueError:
        return match.group(0)
    return pseudonym(match.group(1).lower())


def redact(text: str) -> str:
    """Replace e-mail addresses and IPs by pseudonyms and the secret parts of URLs by a placeholder."""
    text = URL_RE.sub(lambda m: m.group(1) + redact_path(m.group(2)), text)
    text = PATH_RE.sub(lambda m: redact_path(m.group(0)), text)
    text = _redact_secret_links(text)
    text = EMAIL_RE.sub(lambda m: pseudonym(m.group(0).lower()), text)
    text = IPV6_CANDIDATE_RE.sub(_ipv6, text)
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
    """Key the pseudonyms, learn the secret-bearing routes, and filter every logger."""
    _state["key"] = app.config.get("LOG_HASH_KEY") or app.config.get("SECRET_KEY")
    _state["secret_map"] = Map(
        [Rule(rule.rule, endpoint=rule.endpoint) for rule in secret_rules(app)],
        converters=app.url_map.converters, strict_slashes=False)
    # Longest first: /a/<slug>/write/<int:post_id>/letter.pdf before its prefix /a/<slug>/write.
    rules = sorted((rule.rule for rule in secret_rules(app)), key=len, reverse=True)
    _state["secret_patterns"] = tuple(_secret_pattern(rule) for rule in rules)
    install_record_factory()
    for name in ("", "werkzeug", "gunicorn.access", "gunicorn.error", "app", app.logger.name):
        install_redaction(logging.getLogger(name))
