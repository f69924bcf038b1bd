"""Who is asking: the client address, honouring proxies only when configured to."""

from flask import request


def client_address() -> str:
    """The remote address as seen after ProxyFix (configured by TRUSTED_PROXY_COUNT)."""
    return request.remote_addr or "unknown"
