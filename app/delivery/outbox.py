"""Writing to the outbox. Rows are added to the caller's transaction, never committed here."""

from __future__ import annotations

from app.extensions import db
from app.models import OutboxMessage
from app.text import has_control_characters


class HeaderInjectionError(ValueError):
    """A header value (address or subject) carried CR, LF or another control character."""


def queue_email(
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    appeal_id: int | None = None,
    sensitive: bool = False,
) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction; refuse unsafe header values."""
    for field, value in (("to", to), ("subject", subject)):
        if has_control_characters(value):
            raise HeaderInjectionError(f"{field} contains a line break or control character")
    message = OutboxMessage(
        kind=kind, to_addr=to, subject=subject, body_text=body_text, body_html=body_html,
        appeal_id=appeal_id, sensitive=sensitive,
    )
    db.session.add(message)
    return message
