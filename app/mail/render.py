"""Rendering e-mail templates (templates/email/*) apart from the request that caused them."""

from __future__ import annotations

from flask import current_app


def render_email(template: str, **context) -> str:  # noqa: ANN003
    """Render an e-mail template with only the values given (and the environment's globals).

    Not Flask's render_template: its context processors run too, and Flask-Login's reads
    `current_user`, which writes `session['_fresh']`. The sign form would then set a cookie only
    when an e-mail was written (an address already confirmed), telling anyone who signed.
    """
    return current_app.jinja_env.get_template(template).render(context)
