"""The embed form's CSRF token, carried in a hidden field instead of a session cookie.

Inside a partner's <iframe> our session cookie is a third-party cookie: SameSite=Lax keeps
the browser from sending it with the POST, and many browsers drop third-party cookies
altogether. So the embed form does not use the session: its hidden field holds a token signed
with SECRET_KEY (itsdangerous), bound to the appeal and the partner and valid for a limited
time. A forged POST from another site would need a token minted for this very appeal and
partner; it gains nothing over loading the form itself, which any site framing it may do, and
the frame-ancestors list decides which sites may. Signing still needs e-mail confirmation.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "embed-sign-form"
MAX_AGE_S = 6 * 3600  # long enough to read the case before signing


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(appeal_id: int, partner_id: int) -> str:
    """A token for one appeal's form as embedded by one partner."""
    return _serializer().dumps([appeal_id, partner_id])


def is_valid(token: str | None, appeal_id: int, partner_id: int) -> bool:
    """True if `token` was issued for this appeal and partner less than MAX_AGE_S ago."""
    if not token or len(token) > 200:
        return False
    try:
        bound = _serializer().loads(token, max_age=MAX_AGE_S)
    except BadSignature:  # also SignatureExpired
        return False
    return bound == [appeal_id, partner_id]
