"""What each column holds once the confirmation is sent (any database; the raw-bytes search of
the SQLite file is in test_at_rest.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.delivery.worker import deliver_due
from app.extensions import db as _db
from app.models import OutboxMessage, Signature
from app.sealing.boxes import open_signer
from app.sealing.keys import read_key_file
from tests.builders import make_appeal, make_keyed_group
from tests.signer_privacy.helpers import Signer, sign


def test_after_the_confirmation_is_sent_only_sealed_columns_hold_the_signer(client, db, smtp):
    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = Signer.new()
    sign(client, appeal.slug, signer, public_display="initials")
    row = db.session.scalar(select(Signature))
    assert row.email == signer.email  # kept until the confirmation is sent
    assert deliver_due() == 1 and smtp.wait_for(1)
    db.session.expire_all()
    row = db.session.scalar(select(Signature))
    assert (row.email, row.city, row.message) == (None, None, None)
    assert row.name == "Z. Q."  # the initials the signer let be shown, no more
    outbox = db.session.scalar(select(OutboxMessage))
    assert outbox.to_addr == "sent@invalid" and signer.name not in outbox.body_text
    details = open_signer(row, read_key_file(key.encode(), group))
    assert (details.name, details.email, details.city, details.message) == (
        signer.name, signer.email, signer.city, signer.message)


def test_an_organisation_without_a_key_gets_no_copy_at_all(client, db, smtp):
    appeal = make_appeal()  # no organisation, so no key: the most private choice
    signer = Signer.new()
    sign(client, appeal.slug, signer)
    assert deliver_due() == 1 and smtp.wait_for(1)
    db.session.expire_all()
    row = db.session.scalar(select(Signature))
    assert row.sealed is None and row.own_copy is not None and row.email is None


@pytest.mark.sqlite_only
def test_the_migration_keeps_the_tally_triggers(db):
    names = _db.session.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'signatures'"
    )).scalars().all()
    assert sorted(names) == ["signature_day_delete", "signature_day_insert", "signature_day_update",
                             "signature_tally_delete", "signature_tally_insert",
                             "signature_tally_update"]


def test_retention_purge_drops_the_sealed_details_with_the_address(app, client, db, smtp):
    from datetime import timedelta

    from app.models import utcnow

    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    sign(client, appeal.slug, Signer.new(), message_in_letters="y")
    assert db.session.scalar(select(Signature.message))  # kept readable for their letters
    assert deliver_due() == 1 and smtp.wait_for(1)
    appeal.state = "closed"
    db.session.commit()
    appeal.closed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["admin", "purge-emails"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    row = db.session.scalar(select(Signature))
    assert (row.email, row.sealed, row.own_copy, row.message) == (None, None, None, None)
