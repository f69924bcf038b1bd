"""An e-mail as the outbox stores it: the fields of one row, with its header values checked."""

from __future__ import annotations

from app.text import has_control_characters

# The only headers a message may add to those build_message writes: the one-click unsubscribe
# of RFC 2369 / RFC 8058. A name outside this list is refused, never passed through.
EXTRA_HEADERS = ("List-Unsubscribe", "List-Unsubscribe-Post")
MAX_HEADER_LENGTH = 900  # one header line must stay under SMTP's 998 characters


class HeaderInjectionError(ValueError):
    """A header value (address or subject) carried CR, LF or another control character."""


def refuse_controls(field: str, value: str) -> None:
    """Raise HeaderInjectionError if `value` holds a line break or another control character."""
    if has_control_characters(value):
        raise HeaderInjectionError(f"{field} contains a line break or control character")


def checked_headers(headers: dict[str, str] | None) -> dict[str, str] | None:
    """`headers` if every name is one of EXTRA_HEADERS and every value one short line, else
    HeaderInjectionError."""
    for name, value in (headers or {}).items():
        if name not in EXTRA_HEADERS:
            raise HeaderInjectionError(f"header {name!r} may not be set")
        refuse_controls(name, value)
        if not value.isascii():  # URIs are written in ASCII; anything else would be encoded away
            raise HeaderInjectionError(f"{name} must be ASCII")
        if len(value) > MAX_HEADER_LENGTH:
            raise HeaderInjectionError(f"{name} is longer than {MAX_HEADER_LENGTH} characters")
    return dict(headers) if headers else None


def message_row(*, kind: str, to: str, subject: str, body_text: str, body_html: str | None = None,
                appeal_id: int | None = None, sensitive: bool = False, reply_to: str | None = None,
                throttle_key: str | None = None, throttle_per_hour: int | None = None,
                headers: dict[str, str] | None = None) -> dict:
    """The `outbox_messages` row of an e-mail (for an ORM object or a Core INSERT)."""
    for field, value in (("to", to), ("subject", subject), ("reply_to", reply_to or "")):
        refuse_controls(field, value)
    # Status, attempts and times come from the model's column defaults (ORM and Core INSERT alike).
    return {"kind": kind, "to_addr": to, "subject": subject, "body_text": body_text,
            "body_html": body_html, "appeal_id": appeal_id, "sensitive": sensitive,
            "reply_to": reply_to or None, "throttle_key": throttle_key,
            "throttle_per_hour": throttle_per_hour, "headers": checked_headers(headers)}
