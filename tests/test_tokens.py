"""Single-purpose tokens: redeeming for a row, and nothing half-spent when refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import Signature, Token
from app.tokens import TokenError, issue_token, redeem_for
from tests.builders import make_appeal


def _signature(db) -> Signature:
    appeal = make_appeal()
    signature = Signature(appeal_id=appeal.id, name="A", email="a@example.org", email_hash="h",
                          country="KZ")
    db.session.add(signature)
    db.session.commit()
    return signature


def test_redeem_for_returns_the_row_and_marks_the_token_used(db):
    signature = _signature(db)
    raw = issue_token("unsubscribe", signature.id, ttl=timedelta(days=1))
    db.session.commit()
    assert redeem_for("unsubscribe", raw, Signature).id == signature.id
    db.session.commit()
    with pytest.raises(TokenError) as caught:
        redeem_for("unsubscribe", raw, Signature)
    assert caught.value.reason == "used"


def test_token_naming_a_deleted_row_is_invalid_and_stays_unused(db):
    signature = _signature(db)
    raw = issue_token("unsubscribe", signature.id + 1000, ttl=None)
    db.session.commit()
    with pytest.raises(TokenError) as caught:
        redeem_for("unsubscribe", raw, Signature)
    assert caught.value.reason == "invalid"
    db.session.commit()  # a later commit in the same request must not spend the token
    assert db.session.scalar(select(Token.used_at)) is None
