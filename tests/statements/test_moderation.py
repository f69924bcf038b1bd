"""Coordinators moderate organisations' signatures; the outcome is e-mailed through the outbox."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import OutboxMessage
from app.models.statement import OrgSignature
from tests.builders import make_group
from tests.conftest import csrf_token
from tests.statements.helpers import make_statement, sent_messages, sign, sign_and_confirm


def decide(client, statement, signature, action: str, message: str = ""):
    url = f"/coordinator/statements/{statement.slug}/signatures/{signature.id}"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                  "action": action, "message": message})


def test_sign_confirm_approve_lists_the_organisation_and_tells_the_contact(client, db, login, smtp):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    public = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "Adil Soz" not in public.split('id="undersigned"', 1)[1].split("</section>", 1)[0]

    login()
    response = decide(client, statement, signature, "approve")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(OrgSignature, signature.id).status == "approved"

    public = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    listed = public.split('id="undersigned"', 1)[1].split("</section>", 1)[0]
    assert "<h3>Kazakhstan</h3>" in listed and "<li>Adil Soz</li>" in listed
    assert '<span id="org-count">1</span> organisation' in listed

    messages = sent_messages(smtp, 2)
    assert [m["To"] for m in messages] == ["info@adilsoz.kz", "info@adilsoz.kz"]
    assert "accepted" in messages[1]["Subject"]


def test_reject_with_reason_emails_the_reason_and_does_not_list(client, db, login, smtp):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    login()
    response = decide(client, statement, signature, "reject",
                      "We could not verify that the organisation exists.")
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(OrgSignature, signature.id)
    assert (stored.status, stored.moderation_note) == (
        "rejected", "We could not verify that the organisation exists.")
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.kind == "statement_rejected"
    assert "We could not verify that the organisation exists." in message.body_text
    [_, mail] = sent_messages(smtp, 2)
    assert "We could not verify" in mail.get_body(("plain",)).get_content()
    public = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "<li>Adil Soz</li>" not in public


def test_reject_without_reason_shows_the_error_next_to_the_field(client, db, login):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    login()
    response = decide(client, statement, signature, "reject", "")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    block = html.split('id="message"', 1)[1]
    assert 'id="message-error"' in block.split("</div>", 1)[0]
    assert "Give the reason" in block.split("</div>", 1)[0]
    db.session.expire_all()
    assert db.session.get(OrgSignature, signature.id).status == "awaiting"


def test_ask_for_clarification_emails_the_question(client, db, login):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    login()
    assert decide(client, statement, signature, "clarify", "Is this the Almaty office?").status_code == 303
    db.session.expire_all()
    assert db.session.get(OrgSignature, signature.id).status == "clarification"
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert message.kind == "statement_clarification"
    assert "Is this the Almaty office?" in message.body_text


def test_unconfirmed_signature_cannot_be_approved(client, db, login):
    statement = make_statement()
    sign(client, statement.slug)
    signature = db.session.scalar(select(OrgSignature))
    login()
    response = decide(client, statement, signature, "approve")
    assert response.status_code == 409
    assert "confirmed by e-mail" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OrgSignature, signature.id).status == "unconfirmed"


def test_bulk_approve_approves_the_ticked_signatures_in_one_post(client, db, login):
    statement = make_statement()
    first = sign_and_confirm(client, statement.slug)
    second = sign_and_confirm(client, statement.slug, org_name="Article 19",
                              org_website="https://www.article19.org", contact_email="info@article19.org",
                              country="GB")
    third = sign_and_confirm(client, statement.slug, org_name="PEN Kazakhstan",
                             org_website="pen.kz", contact_email="pen@pen.kz")
    login()
    page = client.get(f"/coordinator/statements/{statement.slug}").get_data(as_text=True)
    assert len(re.findall(r'name="selected"', page)) == 3
    assert page.count("domain verified") == 3
    response = client.post(f"/coordinator/statements/{statement.slug}/approve", data={
        "csrf_token": csrf_token(page), "selected": [str(first.id), str(second.id)]})
    assert response.status_code == 303
    db.session.expire_all()
    statuses = {s.org_name: s.status for s in db.session.scalars(select(OrgSignature))}
    assert statuses == {"Adil Soz": "approved", "Article 19": "approved", "PEN Kazakhstan": "awaiting"}
    kinds = db.session.scalars(select(OutboxMessage.kind).where(
        OutboxMessage.kind == "statement_approved")).all()
    assert len(kinds) == 2
    assert third.id


def test_bulk_approve_without_csrf_token_is_refused(client, db, login):
    statement = make_statement()
    first = sign_and_confirm(client, statement.slug)
    login()
    response = client.post(f"/coordinator/statements/{statement.slug}/approve",
                           data={"selected": [str(first.id)]})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(OrgSignature, first.id).status == "awaiting"


def test_bulk_approve_with_nothing_ticked_says_so(client, db, login):
    statement = make_statement()
    sign_and_confirm(client, statement.slug)
    login()
    page = client.get(f"/coordinator/statements/{statement.slug}").get_data(as_text=True)
    response = client.post(f"/coordinator/statements/{statement.slug}/approve",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 400
    assert "Tick at least one signature" in response.get_data(as_text=True)


def test_coordinator_of_another_group_cannot_see_the_statement(client, db, login):
    mine = make_group(slug="mine", name="Mine")
    theirs = make_group(slug="theirs", name="Theirs")
    statement = make_statement(group=theirs)
    signature = sign_and_confirm(client, statement.slug)
    login(group=mine)
    assert client.get(f"/coordinator/statements/{statement.slug}").status_code == 404
    review = f"/coordinator/statements/{statement.slug}/signatures/{signature.id}"
    assert client.get(review).status_code == 404
    assert statement.title not in client.get("/coordinator/statements/").get_data(as_text=True)


def test_statement_pages_need_a_login(client, db):
    statement = make_statement()
    response = client.get(f"/coordinator/statements/{statement.slug}")
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]


def test_coordinator_pages_name_states_and_statuses_in_words(client, db, login):
    """The statement's state and each signature's status were codes ("collecting", "unconfirmed")."""
    statement = make_statement()
    sign(client, statement.slug)
    signature = db.session.scalar(select(OrgSignature))
    login()
    index = client.get("/coordinator/statements/?lang=ru").get_data(as_text=True)
    assert "<td>идёт сбор подписей</td>" in index
    detail = client.get(f"/coordinator/statements/{statement.slug}?lang=ru").get_data(as_text=True)
    assert '<strong id="statement-state">идёт сбор подписей</strong>' in detail
    assert "<td>не подтверждена</td>" in detail
    one = client.get(f"/coordinator/statements/{statement.slug}/signatures/{signature.id}?lang=ru")
    assert '<dd id="signature-status">не подтверждена</dd>' in one.get_data(as_text=True)
