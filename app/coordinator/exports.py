"""CSV export of signatures, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sqlalchemy import select

from app.extensions import db
from app.models import Appeal, Signature
from app.text import spreadsheet_safe

BASE_COLUMNS = ["name", "country", "city", "status", "public_display", "letter_inclusion",
                "message", "signed_at", "confirmed_at"]


def signatures_csv(appeal: Appeal, *, include_emails: bool = False) -> Iterator[str]:
    """Yield CSV text in chunks; e-mail addresses only when asked for explicitly."""
    columns = BASE_COLUMNS + (["email"] if include_emails else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    rows = db.session.scalars(
        select(Signature).where(Signature.appeal_id == appeal.id).order_by(Signature.id)
    )
    for count, signature in enumerate(rows, 1):
        record = {
            "name": signature.name, "country": signature.country, "city": signature.city or "",
            "status": signature.status, "public_display": signature.public_display,
            "letter_inclusion": signature.letter_inclusion, "message": signature.message or "",
            "signed_at": signature.created_at.isoformat(timespec="seconds"),
            "confirmed_at": signature.confirmed_at.isoformat(timespec="seconds")
            if signature.confirmed_at else "",
            "email": signature.email or "",
        }
        writer.writerow([spreadsheet_safe(record[c]) for c in columns])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
