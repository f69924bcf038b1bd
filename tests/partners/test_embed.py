"""The embeddable sign form: framing rules, its own CSRF token, and per-partner counts."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Appeal, Partner, PendingReferral, Signature
from app.partners import formtoken
from tests.builders import make_appeal
from tests.partners.helpers import confirm_latest, embed_sign, make_partner


def test_embed_page_may_be_framed_by_the_partner_origins_only(client, db):
    appeal = make_appeal(slug="batyrbekov")
    make_partner(appeal, origins="https://pen.example.org https://ifex.example.net:8443")
    response = client.get("/embed/batyrbekov/pen-kz")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors https://pen.example.org https://ifex.example.net:8443;" in policy
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers  # nothing for a third-party frame to keep


def test_every_other_page_still_refuses_to_be_framed(client, db):
    appeal = make_appeal(slug="batyrbekov")
    make_partner(appeal)
    response = client.get("/a/batyrbekov")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_partner_without_origins_cannot_be_framed_anywhere(client, db):
    make_partner(make_appeal(slug="batyrbekov"), origins="")
    response = client.get("/embed/batyrbekov/pen-kz")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_unknown_partner_code_or_draft_appeal_is_not_found(client, db):
    make_partner(make_appeal(slug="batyrbekov"))
    make_partner(make_appeal(slug="draft-one", state="draft", posts=[]))
    assert client.get("/embed/batyrbekov/nobody").status_code == 404
    assert client.get("/embed/draft-one/pen-kz").status_code == 404
    assert embed_sign(client, "batyrbekov", "nobody", token="x").status_code == 404


def test_signing_through_the_embed_needs_no_session_and_counts_for_the_partner(app, db):
    appeal = make_appeal(slug="batyrbekov")
    partner = make_partner(appeal)
    other = make_partner(appeal, name="IFEX", code="ifex", origins="https://ifex.example.net")
    # A fresh client per request: no cookie is ever carried from the form to the POST.
    token_page = app.test_client().get("/embed/batyrbekov/pen-kz").get_data(as_text=True)
    from tests.partners.helpers import form_token

    response = embed_sign(app.test_client(), "batyrbekov", "pen-kz", token=form_token(token_page))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/embed/batyrbekov/pen-kz/thanks")
    assert db.session.scalar(select(func.count()).select_from(PendingReferral)) == 1

    confirm_latest(app.test_client())
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).confirmed_count == 1
    assert db.session.get(Partner, other.id).confirmed_count == 0
    assert db.session.get(Appeal, appeal.id).confirmed_count == 1
    # Counts, not tracking: once confirmed, nothing ties the person to the partner.
    assert db.session.scalar(select(func.count()).select_from(PendingReferral)) == 0


def test_embed_post_with_missing_forged_or_foreign_token_is_refused_and_keeps_input(client, db):
    appeal = make_appeal(slug="batyrbekov")
    partner = make_partner(appeal)
    other = make_partner(appeal, name="IFEX", code="ifex")
    foreign = formtoken.issue(appeal.id, other.id)  # minted for another partner's form
    for token in ("forged.token.value", foreign):
        response = embed_sign(client, "batyrbekov", partner.code, token=token)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "The form expired" in html
        assert 'value="Aigerim Sultanova"' in html
    assert embed_sign(client, "batyrbekov", partner.code, token="").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_expired_embed_token_is_refused(client, db, monkeypatch):
    appeal = make_appeal(slug="batyrbekov")
    partner = make_partner(appeal)
    token = formtoken.issue(appeal.id, partner.id)
    monkeypatch.setattr(formtoken, "MAX_AGE_S", -1)
    assert embed_sign(client, "batyrbekov", partner.code, token=token).status_code == 400


def test_embed_form_errors_name_the_field(client, db):
    make_partner(make_appeal(slug="batyrbekov"))
    response = embed_sign(client, "batyrbekov", "pen-kz", name="", email="not an address")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="name-error">Please enter your name.' in html
    assert 'id="email-error"' in html


def test_closed_appeal_embed_refuses_signatures(client, db):
    make_partner(make_appeal(slug="batyrbekov", state="closed"))
    assert "takes no signatures now" in client.get("/embed/batyrbekov/pen-kz").get_data(as_text=True)
    response = embed_sign(client, "batyrbekov", "pen-kz", token="stale")
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_honeypot_post_stores_nothing_and_looks_the_same(client, db):
    make_partner(make_appeal(slug="batyrbekov"))
    response = embed_sign(client, "batyrbekov", "pen-kz", website="http://spam.example")
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0


def test_already_confirmed_signer_is_not_counted_again_for_a_partner(client, db):
    appeal = make_appeal(slug="batyrbekov")
    partner = make_partner(appeal)
    embed_sign(client, "batyrbekov", "pen-kz")
    confirm_latest(client)
    second = embed_sign(client, "batyrbekov", "pen-kz")
    assert second.status_code == 303
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).confirmed_count == 1
    assert db.session.scalar(select(func.count()).select_from(PendingReferral)) == 0
