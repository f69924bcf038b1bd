"""CSV export of signatures, safe to open in a spreadsheet, streamed in constant memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from nacl.public import PrivateKey
from sqlalchemy import select

from app.db_setup import read_only_connection
from app.extensions import db
from app.models import Signature
from app.sealing.boxes import SealError, SignerDetails, open_signer
from app.sealing.keys import KeyRequired
from app.text import spreadsheet_safe

BASE_COLUMNS = ["name", "country", "city", "status", "public_display", "letter_inclusion",
                "message", "signed_at", "confirmed_at"]
BATCH_SIZE = 2000

_ROWS = select(Signature.id, Signature.name, Signature.country, Signature.city, Signature.status,
               Signature.public_display, Signature.letter_inclusion, Signature.message,
               Signature.created_at, Signature.confirmed_at, Signature.sealed)


def signatures_csv(appeal_id: int, *, include_emails: bool = False,
                   batch_size: int = BATCH_SIZE,
                   private_key: PrivateKey | None = None) -> Iterator[str]:
    """Yield CSV text a batch of rows at a time; e-mail addresses only when asked for explicitly.

    Full names, cities, messages and addresses are sealed: only `private_key` (the
    organisation's, uploaded for this export and dropped with the generator) opens them.
    Without it, the name is the form the signer let be shown. Raises KeyRequired at the first
    step if `include_emails` comes without the key.

    Each batch is one short keyset query (by id, on ix_signatures_appeal_id) on a connection
    that takes no write lock and is closed before the batch is sent: memory stays flat and no
    transaction stays open while a slow client reads. Iterate it inside an app context (a
    streamed response needs `stream_with_context`).
    """
    if include_emails and private_key is None:
        raise KeyRequired
    columns = BASE_COLUMNS + (["email"] if include_emails else [])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    after = 0
    while rows := _batch(appeal_id, after, batch_size):
        for row in rows:
            writer.writerow([spreadsheet_safe(value)
                             for value in _record(row, include_emails, private_key)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        after = rows[-1].id
    yield buffer.getvalue()


def _batch(appeal_id: int, after: int, size: int) -> list:
    with read_only_connection(db.engine) as connection:
        return connection.execute(
            _ROWS.where(Signature.appeal_id == appeal_id, Signature.id > after)
            .order_by(Signature.id).limit(size)
        ).all()


def _details(row, private_key: PrivateKey | None) -> SignerDetails:  # noqa: ANN001
    """What the key opens; without it (or for a row not sealed), what is in clear."""
    if private_key is not None and row.sealed is not None:
        try:
            return open_signer(row, private_key)
        except SealError:
            pass  # sealed to an earlier key of the organisation: the clear forms only
    return SignerDetails(name=row.name or "", email="", city=row.city, message=row.message)


def _record(row, include_emails: bool, private_key: PrivateKey | None) -> list[str]:  # noqa: ANN001
    details = _details(row, private_key)
    record = [details.name, row.country, details.city or "", row.status, row.public_display,
              row.letter_inclusion, details.message or "",
              row.created_at.isoformat(timespec="seconds"),
              row.confirmed_at.isoformat(timespec="seconds") if row.confirmed_at else ""]
    return record + [details.email] if include_emails else record
