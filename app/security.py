"""Response headers: a strict CSP with no inline script, and no caching of private pages."""

from __future__ import annotations

from flask import Response, current_app, request

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PRIVATE_PREFIXES = ("/coordinator", "/login", "/logout", "/confirm", "/unsubscribe")


def apply_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    # Links in confirmation pages carry tokens; never leak the URL to another site.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Permissions-Policy", "interest-cohort=()")
    if request.path.startswith(PRIVATE_PREFIXES) or response.headers.get("Set-Cookie"):
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("PRODUCTION") and request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
        )
    return response
