"""Who is asking: the client address, honouring proxies only when configured to."""

from flask import request

from app.logging_setup import pseudonym


def client_address() -> str:
    """The remote address as seen after ProxyFix (configured by TRUSTED_PROXY_COUNT)."""
    return request.remote_addr or "unknown"


def client_key() -> str:
    """The client as rate limits count it: a keyed pseudonym of its address, as the logs write
    it. The counters live in the database, which must hold no address in clear."""
    return pseudonym(client_address())
