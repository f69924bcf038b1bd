"""The outbox page: nobody but its addressee reads a single-use link in production."""

from __future__ import annotations

from app.auth.reset import request_reset
from app.auth.service import create_user
from app.outbox import queue_email
from tests.builders import make_appeal, make_group

SECRET_LINK = "http://127.0.0.1:5000/confirm/SiNgLeUsEsEcReT"


def _queue(appeal=None, *, sensitive=True, body=SECRET_LINK, kind="confirmation"):
    queue_email(kind=kind, to="signer@example.org", subject=f"About {kind}", body_text=body,
                appeal_id=appeal.id if appeal else None, sensitive=sensitive)
    from app.extensions import db

    db.session.commit()


def test_a_password_reset_link_is_never_shown_to_another_coordinator(app, client, db, login):
    """The takeover: ask a reset for someone else's account, then read the link in the outbox."""
    mine = make_group(slug="mine")
    create_user("victim@example.org", "correct horse battery", role="admin")
    with app.test_request_context():
        request_reset("victim@example.org")
    # A coordinator as `flask users create` made them before (no organisation), then one with.
    for attacker in ({"role": "coordinator"}, {"group": mine}):
        login(email=f"attacker{len(attacker)}{attacker.get('role', '')}@example.org", **attacker)
        html = client.get("/coordinator/outbox").get_data(as_text=True)
        assert "/password-reset/" not in html and "victim@example.org" not in html


def test_in_production_even_an_admin_sees_no_single_use_link(client, db, login, monkeypatch, app):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    appeal = make_appeal()
    _queue(appeal)
    _queue(appeal, sensitive=False, body="You have already signed.", kind="already_signed")
    login(role="admin")
    html = client.get("/coordinator/outbox").get_data(as_text=True)
    assert "SiNgLeUsEsEcReT" not in html
    assert "single-use link for its addressee only" in html
    assert "You have already signed." in html  # a body without a secret stays readable


def test_outside_production_an_admin_reads_the_links_to_follow_the_demo(client, db, login):
    _queue(make_appeal())
    login(role="admin")
    html = client.get("/coordinator/outbox").get_data(as_text=True)
    assert "SiNgLeUsEsEcReT" in html and "an administrator sees the links" in html


def test_a_coordinator_sees_only_their_organisations_messages_and_no_links(client, db, login):
    mine, theirs = make_group(slug="mine"), make_group(slug="theirs", name="Theirs")
    own = make_appeal(slug="own", group=mine, posts=[])
    other = make_appeal(slug="other", group=theirs, posts=[])
    _queue(own, sensitive=False, body="Own appeal news", kind="case_note")
    _queue(own)
    _queue(other, sensitive=False, body="Other organisation news", kind="other_note")
    _queue(None, sensitive=False, body="Account mail", kind="account_note")
    login(group=mine)
    html = client.get("/coordinator/outbox").get_data(as_text=True)
    assert "Own appeal news" in html
    assert "SiNgLeUsEsEcReT" not in html
    assert "Other organisation news" not in html and "Account mail" not in html


def test_a_coordinator_without_an_organisation_sees_an_empty_outbox(client, db, login):
    _queue(make_appeal(), sensitive=False, body="Some news", kind="case_note")
    login(email="orphan@example.org", role="coordinator")
    html = client.get("/coordinator/outbox").get_data(as_text=True)
    assert "Some news" not in html and "The outbox is empty." in html
