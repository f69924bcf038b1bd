"""The webhook signature: HMAC-SHA256 over "<timestamp>.<body>", in one header.

    Appeal-Desk-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

The receiver recomputes HMAC-SHA256(secret, f"{t}.".encode() + raw_body), compares in
constant time, and refuses a timestamp older than a few minutes (a replayed request).
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Appeal-Desk-Signature"
EVENT_HEADER = "Appeal-Desk-Event-Id"
TOLERANCE_S = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `timestamp.body` under the endpoint's secret."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def header_value(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None,
           tolerance_s: int = TOLERANCE_S) -> bool:
    """What a receiver does (docs/api.md): True for a fresh header signed with `secret`."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(parts.get("v1", ""), signature(secret, timestamp, body))
