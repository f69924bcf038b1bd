"""The origins a partner's site may frame the embed form from, and the header that says so."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from app.security import CONTENT_SECURITY_POLICY

# scheme://host[:port], nothing else: no path, no wildcard, no quote, no ';' that could end
# the directive and add another to the header.
_ORIGIN = re.compile(r"^https?://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?$")
MAX_ORIGINS = 10


class OriginError(ValueError):
    """An origin the frame-ancestors directive cannot carry; the message names it."""


def parse_origins(text: str) -> list[str]:
    """Origins from a space- or line-separated list, lower-cased; OriginError names a bad one."""
    origins: list[str] = []
    for raw in (text or "").split():
        origin = raw.strip().rstrip("/").lower()
        if not _ORIGIN.match(origin):
            raise OriginError(_("“%(value)s” is not an origin: write scheme and host only, "
                                "e.g. https://partner.example.org", value=raw[:80]))
        if origin not in origins:
            origins.append(origin)
    if len(origins) > MAX_ORIGINS:
        raise OriginError(_("At most %(count)d origins per partner.", count=MAX_ORIGINS))
    return origins


def embed_policy(origins_text: str) -> str:
    """The site's CSP with frame-ancestors opened to exactly these origins ('none' if empty)."""
    try:
        origins = parse_origins(origins_text)
    except OriginError:
        origins = []  # stored before a stricter rule: refuse framing rather than guess
    ancestors = " ".join(origins) or "'none'"
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")
