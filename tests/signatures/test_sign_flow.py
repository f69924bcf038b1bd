"""The public signing path end to end, on a real database and a real SMTP server."""

from __future__ import annotations

import re
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select, update

from app.delivery.worker import deliver_due
from app.models import Appeal, OutboxMessage, Signature, Token
from tests.builders import make_appeal
from tests.conftest import csrf_token, free_port

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
    # Named in letters: their own letter is signed with their name (count-only: "A supporter").
    response = sign(client, appeal.slug, letter_inclusion="name_country")
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
    own_letter = re.search(r'href="(/a/[^"]+/write\?s=[^"]+)"', result.get_data(as_text=True)).group(1)
    assert "Aigerim Sultanova" in client.get(own_letter.replace("&amp;", "&")).get_data(as_text=True)
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


def test_smtp_down_keeps_signature_and_sends_once_when_back(app, client, db, smtp):
    appeal = make_appeal()
    real_port = smtp.port
    mail_state = app.extensions["mail"]
    mail_state.port = free_port()  # nothing listens there: SMTP is down
    assert sign(client, appeal.slug).status_code == 303
    assert deliver_due() == 0
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == "pending" and row.attempts == 1 and "Connection refused" in row.last_error
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1

    mail_state.port = real_port
    row.next_attempt_at = row.created_at  # the back-off has passed
    db.session.commit()
    assert deliver_due() == 1
    assert deliver_due() == 0
    assert len(smtp.wait_for(1)) == 1
    db.session.refresh(row)
    assert row.status == "sent" and row.message_id
    assert "/confirm/" not in row.body_text  # the single-use link is not kept after sending


def _token_from_outbox(db) -> str:
    body = db.session.scalars(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"/confirm/(\S+)", body).group(1)


def _post_confirm(client, token):
    page = client.get(f"/confirm/{token}")
    return client.post(f"/confirm/{token}", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def test_reused_confirmation_token_is_refused_and_counts_once(client, db):
    appeal = make_appeal()
    sign(client, appeal.slug)
    token = _token_from_outbox(db)
    assert _post_confirm(client, token).status_code == 200
    second = _post_confirm(client, token)
    assert second.status_code == 410
    assert "already been used" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).confirmed_count == 1


def test_expired_confirmation_token_is_refused(client, db):
    appeal = make_appeal()
    sign(client, appeal.slug)
    token = _token_from_outbox(db)
    db.session.execute(update(Token).values(expires_at=datetime(2000, 1, 1)))
    db.session.commit()
    response = _post_confirm(client, token)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert db.session.scalar(select(Signature.status)) == "pending"


def test_unknown_or_wrong_purpose_token_is_refused(client, db):
    from app.tokens import issue_token

    appeal = make_appeal()
    sign(client, appeal.slug)
    signature_id = db.session.scalar(select(Signature.id))
    other = issue_token("unsubscribe", signature_id, ttl=None)
    db.session.commit()
    for token in ("not-a-token", other):
        response = _post_confirm(client, token)
        assert response.status_code == 410
        assert "not valid" in response.get_data(as_text=True)
    assert db.session.scalar(select(Signature.status)) == "pending"


def test_confirmation_without_csrf_token_is_refused(client, db):
    appeal = make_appeal()
    sign(client, appeal.slug)
    response = client.post(f"/confirm/{_token_from_outbox(db)}")
    assert response.status_code == 400
    assert db.session.scalar(select(Signature.status)) == "pending"


def test_response_is_identical_for_new_pending_and_confirmed_addresses(client, db):
    appeal = make_appeal()
    new = sign(client, appeal.slug)
    pending = sign(client, appeal.slug)
    _post_confirm(client, _token_from_outbox(db))
    confirmed = sign(client, appeal.slug)
    assert {r.status_code for r in (new, pending, confirmed)} == {303}
    assert len({r.headers["Location"] for r in (new, pending, confirmed)}) == 1
    assert len({r.get_data() for r in (new, pending, confirmed)}) == 1
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["confirmation", "confirmation", "already_signed"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Please enter your name."),
        ("name", "Eve\r\nBcc: victim@example.org", "Remove line breaks"),
        ("email", "", "Please enter your e-mail address."),
        ("email", "not-an-address", "This e-mail address is not valid"),
        ("email", "a@example.org\nBcc: b@example.org", "Remove line breaks"),
        ("country", "", "Please choose your country."),
        ("country", "XX", "Not a valid choice"),
        ("city", "Almaty\x07", "Remove line breaks"),
        ("message", "line one\r\nline two", "Remove line breaks"),
        ("public_display", "everyone", "Not a valid choice"),
        ("recipients", [], "Choose at least one official"),
    ],
)
def test_each_form_error_is_shown_next_to_its_field_and_nothing_is_stored(
    client, db, field, value, message
):
    appeal = make_appeal()
    response = sign(client, appeal.slug, **{field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error, f"no error shown next to {field}"
    assert message in error.group(1)
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_signing_without_csrf_token_is_refused(client, db):
    appeal = make_appeal()
    response = client.post(f"/a/{appeal.slug}", data=VALID)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_honeypot_answers_like_a_success_and_stores_nothing(client, db):
    appeal = make_appeal()
    response = sign(client, appeal.slug, website="http://spam.example")
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_paused_appeal_shows_notice_and_refuses_signatures(client, db):
    appeal = make_appeal(state="paused", paused_notice="The family asked us to wait until the hearing.")
    page = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    assert "The family asked us to wait until the hearing." in page
    assert 'name="email"' not in page
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(f"/a/{appeal.slug}", data={**VALID, "csrf_token": token})
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_draft_appeal_is_not_public(client, db):
    appeal = make_appeal(state="draft")
    assert client.get(f"/a/{appeal.slug}").status_code == 404
    assert appeal.title not in client.get("/").get_data(as_text=True)


def test_default_choices_are_the_most_private(client, db):
    appeal = make_appeal()
    html = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    assert re.search(r'checked[^>]*value="none"|value="none"[^>]*checked', html)
    assert re.search(r'checked[^>]*value="count_only"|value="count_only"[^>]*checked', html)
    data = {k: v for k, v in VALID.items() if k not in ("public_display", "letter_inclusion")}
    html2 = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html2)
    client.post(f"/a/{appeal.slug}", data={**data, "recipients": recipients,
                                           "csrf_token": csrf_token(html2)})
    signature = db.session.scalar(select(Signature))
    assert (signature.public_display, signature.letter_inclusion) == ("none", "count_only")
    assert signature.wants_updates is False


def test_two_concurrent_posts_with_one_address_store_one_row(app, db):
    slug = make_appeal().slug
    db.session.rollback()  # reading slug opened a write transaction; release it for the signers
    barrier = threading.Barrier(6)
    statuses = []

    def one_signer(i: int) -> None:
        own_client = app.test_client()
        html = own_client.get(f"/a/{slug}").get_data(as_text=True)
        recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)
        data = {**VALID, "email": f"Same+{i}@Example.org", "recipients": recipients,
                "csrf_token": csrf_token(html)}
        barrier.wait()
        statuses.append(own_client.post(f"/a/{slug}", data=data).status_code)

    threads = [threading.Thread(target=one_signer, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [303] * 6
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1


@pytest.mark.parametrize("ticked", [True, False])
def test_message_reaches_the_signers_own_letter_only_when_they_ask(client, db, smtp, ticked):
    """Unticked, the message is only sealed (docs/threat-model.md); ticked, the signer chose to
    send it to the officials, so their own letter carries it."""
    appeal = make_appeal()
    sign(client, appeal.slug, message="Qxmessage", **({"message_in_letters": "y"} if ticked else {}))
    assert deliver_due() == 1
    path = confirm_link(smtp.wait_for(1)[0]).split("127.0.0.1:5000", 1)[1]
    page = client.get(path)
    result = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    own_letter = re.search(r'href="(/a/[^"]+/write\?s=[^"]+)"', result.get_data(as_text=True)).group(1)
    letter = client.get(own_letter.replace("&amp;", "&")).get_data(as_text=True)
    assert ("Qxmessage" in letter) is ticked
    db.session.expire_all()
    assert db.session.scalar(select(Signature.message)) == ("Qxmessage" if ticked else None)
