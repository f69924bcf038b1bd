"""Response headers: a strict CSP with no inline script, and no caching of private pages."""

from __future__ import annotations

from flask import Response, current_app, render_template, request, session
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PRIVATE_PREFIXES = ("/coordinator", "/login", "/logout", "/confirm", "/unsubscribe",
                    "/password-reset", "/invitation")


def apply_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # A page that opened frame-ancestors to some origins (the partners' embed form) must not
    # be denied by the older header, which knows no list of origins.
    if "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]:
        response.headers.setdefault("X-Frame-Options", "DENY")
    # Links in confirmation pages carry tokens; never leak the URL to another site.
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Permissions-Policy", "interest-cohort=()")
    # Every page a logged-in user sees (dashboards, signer lists, exports, the outbox) stays
    # out of shared and browser caches, whatever area it belongs to.
    if (request.path.startswith(PRIVATE_PREFIXES) or response.headers.get("Set-Cookie")
            or "_user_id" in session):
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("PRODUCTION") and request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
        )
    return response


NUL_MESSAGE = _l("The address or a field of the form holds a NUL character (\\0), which no text "
                "may contain. Remove it and send again.")


def refuse_nul_bytes():  # noqa: ANN201
    """400 for a NUL byte in the path, query or form: PostgreSQL text cannot hold one, and no
    real input has one, so it is refused before any query could fail with a 500."""
    sources = [request.args, request.form] if request.method == "POST" else [request.args]
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value
        for source in sources for key, value in source.items(multi=True)
    ):
        return render_template("errors.html", title=gettext("Bad request"),
                               message=NUL_MESSAGE), 400
    return None
