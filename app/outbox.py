"""Writing to the outbox. Rows are added to the caller's transaction, never committed here."""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.mail.rows import HeaderInjectionError, message_row, refuse_controls
from app.models import OutboxAttachment, OutboxMessage

__all__ = ["SENT_ADDRESS", "SENT_BODY_PLACEHOLDER", "Attachment", "HeaderInjectionError",
           "queue_email"]

# What a sent sensitive row keeps (app/delivery/results.py): neither the single-use link in
# its body nor a signer's address (RFC 2606 .invalid: not a real one).
SENT_BODY_PLACEHOLDER = "[sent; the body held a single-use link and was removed]"
SENT_ADDRESS = "sent@invalid"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


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
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction; refuse unsafe header values."""
    for attachment in attachments:
        refuse_controls("attachment filename", attachment.filename)
    message = OutboxMessage(**message_row(
        kind=kind, to=to, subject=subject, body_text=body_text, body_html=body_html,
        appeal_id=appeal_id, sensitive=sensitive, reply_to=reply_to,
        throttle_key=throttle_key, throttle_per_hour=throttle_per_hour, headers=headers,
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
