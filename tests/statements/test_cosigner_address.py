"""A co-signer's e-mail address is kept only until their confirmation e-mail is sent, as a
signer's is (docs/threat-model.md); the confirmation link still works after that."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.delivery.worker import deliver_due
from app.models.statement import Cosigner
from tests.conftest import csrf_token
from tests.statements.helpers import make_statement, press


def _cosign(client, slug: str, email: str) -> None:
    html = client.get(f"/statements/{slug}").get_data(as_text=True)
    response = client.post(f"/statements/{slug}/cosign", data={
        "csrf_token": csrf_token(html), "name": "Evgeniy Zhovtis", "email": email,
        "country": "KZ", "consent": "y"})
    assert response.status_code == 303


def test_cosigner_address_is_erased_once_the_confirmation_is_sent(client, db, smtp):
    statement = make_statement(allow_individuals=True)
    other = make_statement(slug="second-sign-on", appeal=statement.appeal, allow_individuals=True)
    _cosign(client, statement.slug, "ez@example.org")
    assert db.session.scalar(select(Cosigner.email)) == "ez@example.org"  # until it is sent
    _cosign(client, other.slug, "someone@example.org")
    assert deliver_due() == 2
    mails = smtp.wait_for(2)
    db.session.expire_all()
    assert db.session.scalars(select(Cosigner.email)).all() == [None, None]

    mail = next(m for m in mails if m["To"] == "ez@example.org")
    body = mail.get_body(("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/statements/cosign/confirm/\S+)", body).group(1)
    assert press(client, path).status_code == 200
    db.session.expire_all()
    assert db.session.scalars(select(Cosigner.status).order_by(Cosigner.id)).all() == [
        "confirmed", "unconfirmed"]


def test_a_cosigner_whose_mail_is_not_sent_yet_keeps_the_address_to_send_it(client, db):
    statement = make_statement(allow_individuals=True)
    _cosign(client, statement.slug, "ez@example.org")
    _cosign(client, statement.slug, "ez@example.org")  # signing again resends the link
    db.session.expire_all()
    assert db.session.scalar(select(Cosigner.email)) == "ez@example.org"
