"""A per-process micro-cache of the public appeal page for anonymous visitors.

An appeal going viral means thousands of views a minute of one page while confirmations stream
in. The page is rendered once per PUBLIC_PAGE_CACHE_S seconds in each worker, and at once when
a coordinator changes the appeal (its state or its row: the key holds them). A confirmation
does not change the key: the count and the recent signers may be up to PUBLIC_PAGE_CACHE_S
seconds old, so a stream of confirmations never makes every worker render per confirmation.
The visitor's CSRF token is replaced by a placeholder; each hit costs one small query (the key)
and a fresh token.

Logged-in users and visitors with flashed messages are never served from the cache.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import current_app, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select

from app.appeals.queries import PUBLIC_STATES
from app.db_setup import read_only_connection
from app.extensions import db
from app.i18n import current_language
from app.models import Appeal

PLACEHOLDER = "\x00csrf-token\x00"
MAX_ENTRIES = 256

# (slug, language, variant) -> (version, expires, html): one entry per appeal, page language and
# variant (the share channel the visitor came through, carried by the sign form).
_entries: OrderedDict[tuple[str, str, str], tuple[tuple, float, str]] = OrderedDict()
_lock = threading.Lock()


def enabled() -> bool:
    """Caching is on and this visitor sees exactly what any anonymous visitor sees."""
    return bool(current_app.config.get("PUBLIC_PAGE_CACHE_S")) and not (
        "_user_id" in session or "_flashes" in session
    )


_APPEALS = Appeal.__table__
# Not the confirmed count: counting never touches `updated_at` (app/signatures/service.py). The
# appeal's language is in it because a visitor who states none gets the page in that language.
_VERSION = select(_APPEALS.c.id, _APPEALS.c.state, _APPEALS.c.updated_at,
                  _APPEALS.c.letter_language).where(_APPEALS.c.slug == bindparam("slug"))


def appeal_version(slug: str) -> tuple | None:
    """What the cached page of a public appeal depends on (None if not public): one query."""
    with read_only_connection(db.engine) as connection:
        row = connection.execute(_VERSION, {"slug": slug}).first()
    return tuple(row) if row is not None and row[1] in PUBLIC_STATES else None


def own_language(version: tuple) -> str:
    """The appeal's own language, from its version row (the page language when the visitor
    states no preference)."""
    return version[3]


def _key(slug: str, variant: str) -> tuple[str, str, str]:
    return slug, current_language(), variant


def get(slug: str, version: tuple, variant: str = "") -> str | None:
    """The cached page in this visitor's language with their CSRF token in it, or None."""
    with _lock:
        entry = _entries.get(_key(slug, variant))
    if entry is None or entry[0] != version or entry[1] < time.monotonic():
        return None
    return entry[2].replace(PLACEHOLDER, generate_csrf())


def put(slug: str, version: tuple, html: str, variant: str = "") -> None:
    """Keep a page rendered for an anonymous visitor, without their CSRF token."""
    token = generate_csrf()  # the token this request rendered (cached for the request)
    generic = html.replace(token, PLACEHOLDER)
    ttl = float(current_app.config.get("PUBLIC_PAGE_CACHE_S") or 0)
    key = _key(slug, variant)
    with _lock:
        _entries[key] = (version, time.monotonic() + ttl, generic)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()
