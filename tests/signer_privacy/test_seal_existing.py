"""`flask sealing seal-existing`: interrupted halfway and run again, nothing is lost or left in clear."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import OutboxMessage, Signature
from app.sealing.boxes import open_signer
from app.sealing.keys import read_key_file
from app.signatures.identity import email_digest
from app.signer_privacy.existing import seal_existing
from app.text import initials
from tests.builders import make_appeal, make_keyed_group

COUNT = 23


class Interrupted(Exception):
    pass


def _legacy_rows(appeal) -> dict[int, tuple]:
    """Signatures stored in clear, as before sealing; {id: (name, email, city, message)}."""
    rows = {}
    for number in range(COUNT):
        email = f"legacy{number}@example.org"
        signature = Signature(
            appeal_id=appeal.id, name=f"Legacy Signer {number}", email=email,
            email_hash=email_digest(email), country="KZ", city=f"City {number}",
            message=f"Message {number}" if number % 2 else None, status="confirmed",
            public_display=("none", "initials", "full")[number % 3])
        _db.session.add(signature)
        _db.session.flush()
        rows[signature.id] = (signature.name, email, signature.city, signature.message)
    _db.session.add(OutboxMessage(kind="confirmation", to_addr="legacy0@example.org",
                                  subject="Please confirm", body_text="Hello", status="sent"))
    _db.session.commit()
    return rows


def _stop_after(batches: int):
    seen = []

    def on_batch(count: int) -> None:
        seen.append(count)
        if len(seen) == batches:
            raise Interrupted
    return on_batch


def test_interrupted_sealing_resumes_with_nothing_lost_or_in_clear(app, db):
    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    before = _legacy_rows(appeal)
    with pytest.raises(Interrupted):
        seal_existing(5, _stop_after(2))
    _db.session.rollback()
    sealed = _db.session.scalar(select(func.count()).where(Signature.sealed.is_not(None)))
    assert sealed == 10  # two batches committed, the rest untouched and still whole
    result = app.test_cli_runner().invoke(args=["sealing", "seal-existing", "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert f"sealed: {COUNT - 10}" in result.output
    again = app.test_cli_runner().invoke(args=["sealing", "seal-existing"])
    assert "sealed: 0" in again.output  # idempotent

    _db.session.expire_all()
    private_key = read_key_file(key.encode(), group)
    for signature in _db.session.scalars(select(Signature)):
        details = open_signer(signature, private_key)
        assert (details.name, details.email, details.city, details.message) == before[signature.id]
        assert signature.email is None and signature.city is None and signature.message is None
        shown = {"full": details.name, "initials": initials(details.name), "none": None}
        assert signature.name == shown[signature.public_display]
    assert _db.session.scalar(select(OutboxMessage.to_addr)) == "sent@invalid"


def test_signatures_of_organisations_without_a_key_are_reported_not_touched(app, db):
    appeal = make_appeal()
    _legacy_rows(appeal)
    result = app.test_cli_runner().invoke(args=["sealing", "seal-existing"])
    assert result.exit_code == 0
    assert f"left in clear: {COUNT}" in result.output
    assert _db.session.scalar(select(func.count()).where(Signature.email.is_not(None))) == COUNT
