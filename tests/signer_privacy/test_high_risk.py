"""High-risk appeals keep no e-mail hash; duplicates go later, found with the organisation's key."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Signature
from tests.builders import make_appeal, make_keyed_group
from tests.signer_privacy.helpers import Signer, sign


def test_high_risk_appeal_keeps_no_hash_and_dedupe_with_the_key_removes_duplicates(
        app, client, db):
    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["sealing", "high-risk", appeal.slug, "--on"]).exit_code == 0
    signer, other = Signer.new("a"), Signer.new("b")
    sign(client, appeal.slug, signer)
    sign(client, appeal.slug, Signer(signer.name, signer.email.upper(), "Elsewhere", "Again"))
    sign(client, appeal.slug, other)
    assert db.session.scalars(select(Signature.email_hash)).all() == [None, None, None]
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 3

    refused = runner.invoke(args=["sealing", "dedupe", appeal.slug], input="not a key")
    assert refused.exit_code != 0 and "unreadable" in refused.output
    done = runner.invoke(args=["sealing", "dedupe", appeal.slug], input=key)
    assert done.exit_code == 0 and "removed: 1" in done.output, done.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 2


def test_ordinary_appeal_refuses_the_second_signature_by_hash(client, db):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = Signer.new()
    sign(client, appeal.slug, signer)
    sign(client, appeal.slug, signer)
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
