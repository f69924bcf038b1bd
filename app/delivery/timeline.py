"""The case timeline: dated events added by coordinators, and update e-mails to supporters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template
from flask_babel import gettext as _
from nacl.public import PrivateKey

from app.delivery.channels import signer_token
from app.delivery.updates import unsubscribe_headers, update_recipients
from app.extensions import db
from app.i18n import in_language, with_language
from app.models import Appeal, CaseEvent, Signature
from app.models.enums import AppealState, TokenPurpose
from app.outbox import queue_email
from app.tokens import issue_token, redeem_for


@dataclass(frozen=True)
class EventInput:
    date: date
    kind: str
    title: str
    court: str | None = None
    description: str = ""
    public: bool = True


class KeyRequired(Exception):
    """Signers' addresses are sealed: writing to them needs the organisation's key."""


def add_event(appeal: Appeal, data: EventInput, *, notify: bool,
              private_key: PrivateKey | None = None) -> tuple[CaseEvent, int]:
    """Add an event; if public and `notify`, e-mail the signers who asked for updates. Commits.

    Returns the event and the number of e-mails queued (none while the appeal is paused or a
    draft: the people concerned asked for silence). Notifying needs the organisation's
    `private_key` (raises KeyRequired before storing anything).
    """
    if notify and data.public and private_key is None:
        raise KeyRequired
    event = CaseEvent(appeal_id=appeal.id, date=data.date, kind=data.kind, title=data.title.strip(),
                      court=(data.court or "").strip() or None,
                      description=(data.description or "").strip(), public=data.public)
    db.session.add(event)
    db.session.flush()
    queued = notify_supporters(appeal, event, private_key) if notify and data.public else 0
    db.session.commit()
    return event, queued


def notify_supporters(appeal: Appeal, event: CaseEvent, private_key: PrivateKey) -> int:
    """Queue one update e-mail per opted-in signer, each with its own unsubscribe link."""
    if appeal.state in (AppealState.PAUSED, AppealState.DRAFT) or not event.public:
        return 0
    count = 0
    for signature, email in list(update_recipients(appeal, private_key)):
        raw = issue_token(TokenPurpose.UNSUBSCRIBE, signature.id, ttl=None)
        _queue_update(appeal, event, signature, email, raw)
        count += 1
    return count


def _queue_update(appeal: Appeal, event: CaseEvent, signature: Signature, email: str,
                  raw_token: str) -> None:
    """One signer's update e-mail, in the language they signed in; its links open in it too."""
    base, code = current_app.config["BASE_URL"], signature.language
    write = f"{base}/a/{appeal.slug}/write?s={signer_token(signature)}"
    context = {"appeal": appeal, "event": event, "signature": signature,
               "appeal_url": with_language(f"{base}/a/{appeal.slug}", code),
               "write_url": with_language(write, code) if appeal.letters_allowed else None,
               "unsubscribe_url": with_language(f"{base}/unsubscribe/{raw_token}", code)}
    headers = unsubscribe_headers(appeal, context["unsubscribe_url"])
    with in_language(signature.language):
        subject = _("News: %(title)s — %(event)s", title=appeal.title, event=event.title)
        queue_email(
            kind="case_update", to=email, headers=headers,
            subject=" ".join(subject.split())[:300],
            body_text=render_template("email/case_update.txt", **context),
            body_html=render_template("email/case_update.html", **context),
            appeal_id=appeal.id, sensitive=True,
        )


def unsubscribe(raw_token: str) -> Signature:
    """Stop update e-mails for the signer the token names. Commits; raises TokenError."""
    signature = redeem_for(TokenPurpose.UNSUBSCRIBE, raw_token, Signature)
    signature.wants_updates = False
    db.session.commit()
    return signature
