"""An e-mail as the outbox stores it: the fields of one row, with its header values checked."""

from __future__ import annotations

from app.text import has_control_characters


class HeaderInjectionError(ValueError):
    """A header value (address or subject) carried CR, LF or another control character."""


def refuse_controls(field: str, value: str) -> None:
    """Raise HeaderInjectionError if `value` holds a line break or another control character."""
    if has_control_characters(value):
        raise HeaderInjectionError(f"{field} contains a line break or control character")


def message_row(*, kind: str, to: str, subject: str, body_text: str, body_html: str | None = None,
                appeal_id: int | None = None, sensitive: bool = False, reply_to: str | None = None,
                throttle_key: str | None = None, throttle_per_hour: int | None = None) -> dict:
    """The `outbox_messages` row of an e-mail (for an ORM object or a Core INSERT)."""
    for field, value in (("to", to), ("subject", subject), ("reply_to", reply_to or "")):
        refuse_controls(field, value)
    # Status, attempts and times come from the model's column defaults (ORM and Core INSERT alike).
    return {"kind": kind, "to_addr": to, "subject": subject, "body_text": body_text,
            "body_html": body_html, "appeal_id": appeal_id, "sensitive": sensitive,
            "reply_to": reply_to or None, "throttle_key": throttle_key,
            "throttle_per_hour": throttle_per_hour}
