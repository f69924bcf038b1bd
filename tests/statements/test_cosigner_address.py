"""What is kept of an individual co-signer (docs/threat-model.md): the e-mail address only until
their confirmation e-mail is sent, as a signer's (the confirmation link still works after that);
nothing but the hash once they withdraw; nothing at all if they never confirm."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.delivery.worker import deliver_due
from app.models import OutboxMessage, Token, utcnow
from app.models.statement import Cosigner
from tests.conftest import csrf_token
from tests.statements.helpers import last_body, link_path, make_statement, press


def _cosign(client, slug: str, email: str, name: str = "Evgeniy Zhovtis") -> None:
    html = client.get(f"/statements/{slug}").get_data(as_text=True)
    response = client.post(f"/statements/{slug}/cosign", data={
        "csrf_token": csrf_token(html), "name": name, "email": email,
        "country": "KZ", "consent": "y", "affiliation": "Kazakhstan Bureau"})
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


def test_a_withdrawn_cosigner_keeps_no_name_and_signing_again_brings_the_new_one(client, db):
    statement = make_statement(allow_individuals=True)
    _cosign(client, statement.slug, "ez@example.org")
    body = last_body("ez@example.org")
    press(client, link_path(body, "cosign/confirm"))
    assert press(client, link_path(body, "cosign/withdraw")).status_code == 200
    db.session.expire_all()
    kept = db.session.scalar(select(Cosigner))
    assert (kept.status, kept.name, kept.affiliation, kept.email) == ("withdrawn", "", None, None)
    assert kept.email_hash  # still refuses a second row for the same address

    _cosign(client, statement.slug, "ez@example.org", name="Yevgeniy Zhovtis")
    db.session.expire_all()
    again = db.session.scalar(select(Cosigner))
    assert (again.id, again.status, again.name) == (kept.id, "unconfirmed", "Yevgeniy Zhovtis")


def test_unconfirmed_cosigners_expire_with_their_links_and_mail(app, client, db):
    statement = make_statement(allow_individuals=True)
    _cosign(client, statement.slug, "late@example.org", name="Never Confirmed")
    _cosign(client, statement.slug, "ez@example.org")
    press(client, link_path(last_body("ez@example.org"), "cosign/confirm"))
    for cosigner in db.session.scalars(select(Cosigner)):
        cosigner.created_at = utcnow() - timedelta(days=31)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["admin", "expire-signatures", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "1 unconfirmed statement co-signer(s) older than 30 days deleted" in result.output
    db.session.expire_all()
    assert db.session.scalars(select(Cosigner.name)).all() == ["Evgeniy Zhovtis"]  # confirmed: kept
    late_tokens = select(Token).where(Token.purpose.like("%statement_cosigner"),
                                      Token.subject_id.not_in(select(Cosigner.id)))
    assert db.session.scalars(late_tokens).all() == []
    assert "late@example.org" not in {m.to_addr for m in db.session.scalars(select(OutboxMessage))}
