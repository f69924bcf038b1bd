"""The public signing path end to end, on a real database and a real SMTP server."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.delivery.worker import deliver_due
from app.models import Appeal, OutboxMessage, Signature
from tests.builders import make_appeal
from tests.conftest import csrf_token

VALID = {
    "name": "Aigerim Sultanova",
    "email": "aigerim@example.org",
    "country": "KZ",
    "city": "Almaty",
    "message": "Release him now.",
    "public_display": "none",
    "letter_inclusion": "count_only",
}


def sign(client, slug, **overrides):
    html = client.get(f"/a/{slug}").get_data(as_text=True)
    recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)
    data = {**VALID, "csrf_token": csrf_token(html), "recipients": recipients, **overrides}
    return client.post(f"/a/{slug}", data=data)


def confirm_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://\S+/confirm/(\S+)", body).group(0)


def test_sign_confirm_by_email_and_count(client, db, smtp):
    appeal = make_appeal()
    response = sign(client, appeal.slug)
    assert response.status_code == 303
    assert db.session.scalar(select(Signature.status)) == "pending"

    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "aigerim@example.org"
    path = confirm_link(mail).split("127.0.0.1:5000", 1)[1]

    page = client.get(path)
    assert page.status_code == 200
    result = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert result.status_code == 200
    assert "signature is confirmed" in result.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).confirmed_count == 1
    assert "1</strong>" in client.get(f"/a/{appeal.slug}").get_data(as_text=True)


def test_second_signature_with_same_email_is_not_stored(client, db):
    appeal = make_appeal()
    first = sign(client, appeal.slug)
    second = sign(client, appeal.slug, email="Aigerim+petitions@EXAMPLE.org", name="A. S.")
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
    # A second confirmation e-mail goes to the address just given.
    recipients = db.session.scalars(select(OutboxMessage.to_addr).order_by(OutboxMessage.id)).all()
    assert recipients == ["aigerim@example.org", "Aigerim+petitions@example.org"]
