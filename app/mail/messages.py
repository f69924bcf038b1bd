"""One function per event that writes to a signer: each renders templates/email/* and returns the
outbox row (app.mail.rows) for the caller to store in its own transaction."""

from __future__ import annotations

import unicodedata

from flask import current_app
from flask_babel import gettext as _

from app.i18n import current_language, in_language, with_language
from app.mail.render import render_email
from app.mail.rows import message_row


def _one_line(text: str) -> str:
    """A title made safe for a Subject header: line breaks and other controls become spaces
    (message_row would refuse them, and a signer must not get a 500 for a coordinator's title)."""
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                            for c in text).split())


def _link(path: str, language: str | None = None) -> str:
    """An absolute link; with `language`, one that opens the page in that language."""
    return with_language(current_app.config["BASE_URL"] + path, language)


def confirmation_email(signature, appeal, raw_token: str, *,  # noqa: ANN001
                       own_secret: str | None = None) -> dict:
    """The outbox row asking a new (or still pending) signer to confirm (the caller inserts it),
    in the language the signer signed in (`signature.language`); with `own_secret`, it also
    carries the signer's private link to what is stored about them (app/sealing/own.py).

    `signature` needs .name, .email and .language, `appeal` .id, .title and .group: ORM rows or
    the signing path's plain values. The templates use nothing else, so they are rendered
    without Flask's context processors (this runs on every signature).
    """
    code = getattr(signature, "language", None)
    context = {
        "appeal": appeal,
        "signature": signature,
        "confirm_url": _link(f"/confirm/{raw_token}", code),
        "own_url": _link(f"/my/{own_secret}", code) if own_secret else None,
        "max_age_days": current_app.config["CONFIRMATION_MAX_AGE_DAYS"],
    }
    templates = current_app.jinja_env
    with in_language(code):
        context["page_language"] = current_language()
        return message_row(
            kind="confirmation",
            to=signature.email,
            subject=_("Please confirm your signature: %(title)s", title=_one_line(appeal.title)),
            body_text=templates.get_template("email/confirmation.txt").render(context),
            body_html=templates.get_template("email/confirmation.html").render(context),
            appeal_id=appeal.id,
            sensitive=True,
        )


def already_signed(signature, appeal, *, language: str | None = None) -> dict:  # noqa: ANN001
    """The outbox row telling a confirmed signer who signed again that nothing more is needed
    (in `language`; the caller inserts it)."""
    context = {"appeal": appeal, "signature": signature,
               "appeal_url": _link(f"/a/{appeal.slug}", language)}
    with in_language(language):
        return message_row(
            kind="already_signed",
            to=signature.email,
            subject=_("You have already signed: %(title)s", title=_one_line(appeal.title)),
            body_text=render_email("email/already_signed.txt", **context),
            appeal_id=appeal.id,
            sensitive=True,  # to a signer: the address goes once sent
        )
