"""The case timeline: dated events added by coordinators, and update e-mails to supporters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nacl.public import PrivateKey

from app.delivery.updates import UpdateText, queue_update
from app.extensions import db
from app.languages import DEFAULT_LANGUAGE
from app.models import Appeal, CaseEvent, Signature
from app.models.enums import AppealState, TokenPurpose
from app.sealing.keys import KeyRequired
from app.tokens import redeem_for


@dataclass(frozen=True)
class EventInput:
    date: date
    kind: str
    title: str
    court: str | None = None
    description: str = ""
    public: bool = True


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
    """Queue the event, as a case update, to every signer who asked for news; how many.

    The same e-mail as a written update (app/delivery/updates.py): each signer reads it in
    their language, with the date in their format and their own unsubscribe link.
    """
    if appeal.state in (AppealState.PAUSED, AppealState.DRAFT) or not event.public:
        return 0
    text = UpdateText(subject=event.title, body=event.description or "", when=event.date,
                      court=event.court)
    return queue_update(appeal, {appeal.letter_language or DEFAULT_LANGUAGE: text}, private_key)


def unsubscribe(raw_token: str) -> Signature:
    """Stop update e-mails for the signer the token names. Commits; raises TokenError."""
    signature = redeem_for(TokenPurpose.UNSUBSCRIBE, raw_token, Signature)
    signature.wants_updates = False
    db.session.commit()
    return signature
