"""Organisations signing a statement: double opt-in, duplicates, deadline, withdrawal, form errors."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.models import OutboxMessage, Token, utcnow
from app.models.statement import OrgSignature
from tests.conftest import csrf_token
from tests.statements.helpers import (
    ORG,
    last_body,
    link_path,
    make_statement,
    press,
    sign,
    sign_and_confirm,
)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_signing_stores_an_unconfirmed_signature_and_queues_the_confirmation(client, db):
    statement = make_statement()
    response = sign(client, statement.slug)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/statements/{statement.slug}/thanks")
    signature = db.session.scalar(select(OrgSignature))
    assert (signature.status, signature.org_name, signature.domain) == ("unconfirmed", "Adil Soz",
                                                                        "adilsoz.kz")
    body = last_body("info@adilsoz.kz")
    assert "/statements/confirm/" in body and "/statements/withdraw/" in body
    assert count(db, OutboxMessage) == 1


def test_confirming_from_the_websites_domain_marks_the_signature_domain_verified(client, db):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug, contact_email="tamara@mail.adilsoz.kz")
    assert signature.status == "awaiting"
    assert signature.confirmed_at is not None
    assert signature.domain_verified is True


def test_confirming_from_another_domain_is_not_domain_verified(client, db):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug, contact_email="adilsoz@gmail.com")
    assert signature.status == "awaiting"
    assert signature.domain_verified is False


def test_confirmation_link_works_once(client, db):
    statement = make_statement()
    sign(client, statement.slug)
    path = link_path(last_body("info@adilsoz.kz"), "confirm")
    assert press(client, path).status_code == 200
    again = press(client, path)
    assert again.status_code == 410
    assert "already used" in again.get_data(as_text=True)


def test_duplicate_organisation_under_another_email_stores_nothing_and_answers_the_same(client, db):
    statement = make_statement()
    first = sign(client, statement.slug)
    outbox_before = count(db, OutboxMessage)
    tokens_before = count(db, Token)
    # Same organisation, spelled differently, with a legal form, another contact and address.
    second = sign(client, statement.slug, org_name='PF "ADIL SOZ".', contact_email="press@adilsoz.org",
                  org_website="", contact_name="Someone Else")
    # Same website domain under another name.
    third = sign(client, statement.slug, org_name="Freedom of Speech Foundation",
                 org_website="http://adilsoz.kz/en/", contact_email="x@example.org")
    assert first.status_code == second.status_code == third.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == third.headers["Location"]
    thanks = [client.get(r.headers["Location"]).get_data(as_text=True) for r in (first, second)]
    assert thanks[0] == thanks[1]
    assert count(db, OrgSignature) == 1
    # Nothing written to the new addresses: a stranger must not learn who signed.
    assert count(db, OutboxMessage) == outbox_before
    assert count(db, Token) == tokens_before
    assert db.session.scalar(select(OrgSignature.contact_email)) == "info@adilsoz.kz"


def test_same_contact_signing_again_before_confirming_gets_a_new_link(client, db):
    statement = make_statement()
    sign(client, statement.slug)
    sign(client, statement.slug)
    assert count(db, OrgSignature) == 1
    assert count(db, OutboxMessage) == 2


def test_signature_after_the_deadline_is_refused_politely_and_nothing_is_stored(client, db):
    statement = make_statement(deadline=utcnow() + timedelta(minutes=5))
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    statement.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(f"/statements/{statement.slug}",
                           data={**ORG, "csrf_token": csrf_token(page)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The sign-on has closed" in html
    assert "Nothing was stored" in html
    assert "Traceback" not in html
    assert count(db, OrgSignature) == 0
    assert count(db, OutboxMessage) == 0
    # The public page says so and shows no form.
    public = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "The sign-on has closed" in public
    assert 'name="org_name"' not in public


def test_reopened_statement_takes_signatures_again_after_its_deadline(client, db, login):
    login()
    statement = make_statement(deadline=utcnow() - timedelta(days=1))
    assert sign(client, statement.slug, csrf_token=None).status_code in (400, 409)
    assert count(db, OrgSignature) == 0
    page = client.get(f"/coordinator/statements/{statement.slug}").get_data(as_text=True)
    assert "deadline passed" in page
    response = client.post(f"/coordinator/statements/{statement.slug}/state",
                           data={"csrf_token": csrf_token(page), "action": "reopen"})
    assert response.status_code == 303
    assert sign(client, statement.slug).status_code == 303
    assert count(db, OrgSignature) == 1


def test_closed_statement_refuses_signatures(client, db):
    statement = make_statement(state="closed")
    assert 'name="org_name"' not in client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    html = client.get("/login").get_data(as_text=True)  # any page with this session's CSRF token
    response = client.post(f"/statements/{statement.slug}", data={**ORG, "csrf_token": csrf_token(html)})
    assert response.status_code == 409
    assert "The sign-on is closed" in response.get_data(as_text=True)
    assert count(db, OrgSignature) == 0


def test_withdraw_with_the_link_in_the_confirmation_email(client, db):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    path = link_path(last_body("info@adilsoz.kz").split("withdraw the signature", 1)[1], "withdraw")
    page = client.get(path)
    assert "Withdraw our signature" in page.get_data(as_text=True)
    result = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert result.status_code == 200
    assert "withdrawn" in result.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OrgSignature, signature.id).status == "withdrawn"
    assert "is withdrawn" in last_body("info@adilsoz.kz")


def test_withdrawal_is_refused_once_the_statement_is_sent(client, db):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    body = last_body("info@adilsoz.kz")
    statement.state = "sent"
    db.session.commit()
    path = link_path(body.split("withdraw the signature", 1)[1], "withdraw")
    result = press(client, path)
    assert result.status_code == 409
    assert "can no longer be withdrawn" in result.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OrgSignature, signature.id).status == "awaiting"


def test_honeypot_answers_as_usual_and_stores_nothing(client, db):
    statement = make_statement()
    response = sign(client, statement.slug, website="http://spam.example")
    assert response.status_code == 303
    assert count(db, OrgSignature) == 0


def test_every_form_error_is_shown_next_to_its_field(client, db):
    statement = make_statement()
    html = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    response = client.post(f"/statements/{statement.slug}", data={
        "csrf_token": csrf_token(html), "org_name": "=HYPERLINK(\"http://evil\")", "country": "",
        "org_website": "not a site", "contact_name": "", "contact_role": "",
        "contact_email": "nobody@", "description": "x" * 700,
    })
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    expected = {
        "org_name": "not = + - or @", "country": "Please choose the country.",
        "org_website": "This is not a web address", "description": "600",
        "contact_name": "contact person&#39;s name", "contact_role": "contact person&#39;s role",
        "contact_email": "not valid", "consent": "must agree to be listed",
    }
    for field, message in expected.items():
        # The error paragraph follows the field's input, inside the same field block.
        block = page.split(f'id="{field}"', 1)[1].split('<div class="field', 1)[0]
        assert f'id="{field}-error"' in block, field
        assert message in block, (field, block)
    assert count(db, OrgSignature) == 0


def test_draft_appeals_statement_is_not_public(client, db):
    from tests.builders import make_appeal

    appeal = make_appeal(state="draft")
    statement = make_statement(appeal=appeal)
    assert client.get(f"/statements/{statement.slug}").status_code == 404


def test_withdrawal_links_expire_after_the_configured_days(app, client, db, monkeypatch):
    from sqlalchemy import update

    from app.models.enums import TokenPurpose

    monkeypatch.setitem(app.config, "WITHDRAWAL_MAX_AGE_DAYS", 30)
    statement = make_statement()
    sign_and_confirm(client, statement.slug)
    token = db.session.scalar(select(Token).where(
        Token.purpose == TokenPurpose.WITHDRAW_ORG_SIGNATURE))
    assert token.expires_at is not None
    assert timedelta(days=29) < token.expires_at - utcnow() <= timedelta(days=30)
    db.session.execute(update(Token).where(Token.id == token.id)
                       .values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    path = link_path(last_body("info@adilsoz.kz").split("withdraw the signature", 1)[1], "withdraw")
    result = press(client, path)
    assert result.status_code == 410 and "expired" in result.get_data(as_text=True)


def test_statement_page_names_the_coordinating_group_as_the_appeal_page_does(client, db):
    """The appeal was named in Russian and its group in English, a line apart in the same sentence."""
    from tests.builders import make_group

    statement = make_statement(group=make_group(name="Adil Soz"))
    statement.appeal.translations = {"ru": {"title": "Освободите журналиста",
                                            "organisation": "Фонд «Адил соз»"}}
    db.session.commit()
    html = client.get(f"/statements/{statement.slug}?lang=ru").get_data(as_text=True)
    assert "Освободите журналиста</a>, координатор — Фонд «Адил соз»." in html
