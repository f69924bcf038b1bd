"""Writing to the outbox. Rows are added to the caller's transaction, never committed here."""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.models import OutboxAttachment, OutboxMessage
from app.text import has_control_characters


class HeaderInjectionError(ValueError):
    """A header value (address or subject) carried CR, LF or another control character."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def outbox_row(*, kind: str, to: str, subject: str, body_text: str, body_html: str | None = None,
               appeal_id: int | None = None, sensitive: bool = False, reply_to: str | None = None,
               throttle_key: str | None = None, throttle_per_hour: int | None = None) -> dict:
    """The `outbox_messages` row of an e-mail (for a Core INSERT); refuse unsafe header values."""
    for field, value in (("to", to), ("subject", subject), ("reply_to", reply_to or "")):
        _refuse_controls(field, value)
    # Status, attempts and times come from the model's column defaults (ORM and Core INSERT alike).
    return {"kind": kind, "to_addr": to, "subject": subject, "body_text": body_text,
            "body_html": body_html, "appeal_id": appeal_id, "sensitive": sensitive,
            "reply_to": reply_to or None, "throttle_key": throttle_key,
            "throttle_per_hour": throttle_per_hour}


def _refuse_controls(field: str, value: str) -> None:
    if has_control_characters(value):
        raise HeaderInjectionError(f"{field} contains a line break or control character")


def queue_email(
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    appeal_id: int | None = None,
    sensitive: bool = False,
    attachments: list[Attachment] | tuple[Attachment, ...] = (),
    reply_to: str | None = None,
    throttle_key: str | None = None,
    throttle_per_hour: int | None = None,
) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction; refuse unsafe header values."""
    for attachment in attachments:
        _refuse_controls("attachment filename", attachment.filename)
    message = OutboxMessage(**outbox_row(
        kind=kind, to=to, subject=subject, body_text=body_text, body_html=body_html,
        appeal_id=appeal_id, sensitive=sensitive, reply_to=reply_to,
        throttle_key=throttle_key, throttle_per_hour=throttle_per_hour,
    ))
    db.session.add(message)
    if attachments:
        db.session.flush()
        for attachment in attachments:
            db.session.add(OutboxAttachment(
                message_id=message.id, filename=attachment.filename,
                content_type=attachment.content_type, data=attachment.data,
            ))
    return message
