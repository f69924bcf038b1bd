"""Rate limits in storage shared by all workers; signers over the burst are stored as suspect."""

from __future__ import annotations

import re

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import func, select

from app.extensions import db as _db
from app.logging_setup import pseudonym
from app.models import Appeal, OutboxMessage, RateLimitCounter, Signature
from tests.builders import make_appeal
from tests.conftest import csrf_token

VALID = {"name": "Aigerim Sultanova", "country": "KZ", "public_display": "none",
         "letter_inclusion": "count_only"}


def _sign(client, slug, email, **environ):
    html = client.get(f"/a/{slug}", environ_base=environ).get_data(as_text=True)
    recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)
    data = {**VALID, "email": email, "csrf_token": csrf_token(html), "recipients": recipients}
    return client.post(f"/a/{slug}", data=data, environ_base=environ)


def _count(model, *where):
    return _db.session.scalar(select(func.count()).select_from(model).where(*where))


def _open_appeal(app) -> str:
    """Build the appeal in its own app context: the requests below must not share our session
    (on SQLite the rate-limit counter writes on its own connection)."""
    with app.app_context():
        return make_appeal().slug


def test_database_storage_counts_across_separate_storage_instances(app_ctx):
    # Two storages stand for two gunicorn workers: each sees the other's hits.
    first = FixedWindowRateLimiter(storage_from_string("appdb://"))
    second = FixedWindowRateLimiter(storage_from_string("appdb://"))
    item = parse("3 per minute")
    assert first.hit(item, "login", "10.0.0.1")
    assert second.hit(item, "login", "10.0.0.1")
    assert first.hit(item, "login", "10.0.0.1")
    assert not second.hit(item, "login", "10.0.0.1")
    assert second.hit(item, "login", "10.0.0.2")  # another client has its own count
    assert _count(RateLimitCounter) == 2


def test_database_storage_window_expires_and_restarts(app_ctx):
    storage = storage_from_string("appdb://")
    assert storage.incr("k", expiry=60) == 1
    assert storage.incr("k", expiry=60) == 2
    row = _db.session.get(RateLimitCounter, "k")
    row.expires_at = 0.0  # the window ended long ago
    _db.session.commit()
    assert storage.get("k") == 0
    assert storage.incr("k", expiry=60) == 1
    storage.clear("k")
    assert storage.get("k") == 0
    assert storage.check()


def test_default_rate_limit_storage_is_the_app_database(app):
    assert app.config["RATELIMIT_STORAGE_URI"] == "appdb://"


def test_signer_over_burst_gets_same_answer_but_is_stored_as_suspect(app, client, limits_on):
    slug = _open_appeal(app)
    answers = [_sign(client, slug, f"signer{i}@example.org") for i in range(4)]
    assert {a.status_code for a in answers} == {303}
    assert len({a.headers["Location"] for a in answers}) == 1
    assert answers[0].get_data() == answers[3].get_data()
    with app.app_context():
        statuses = _db.session.scalars(select(Signature.status).order_by(Signature.id)).all()
        assert statuses == ["pending", "pending", "suspect", "suspect"]
        # No e-mail for suspects: only the two within the burst were written to.
        assert _db.session.scalars(select(OutboxMessage.to_addr).order_by(OutboxMessage.id)).all() \
            == ["signer0@example.org", "signer1@example.org"]


def test_signing_again_over_the_burst_sends_no_mail_to_an_existing_signer(app, client, limits_on):
    slug = _open_appeal(app)
    for _ in range(5):
        assert _sign(client, slug, "victim@example.org").status_code == 303
    with app.app_context():
        assert _count(Signature) == 1
        assert _count(OutboxMessage) == 2  # the first two within the burst, none after


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(app, client, limits_on):
    slug = _open_appeal(app)
    for i in range(3):
        _sign(client, slug, f"p{i}@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    with app.app_context():
        # All three came from the same socket address, whatever the header claimed.
        assert _count(Signature, Signature.status == "suspect") == 1


def test_x_forwarded_for_is_honoured_from_the_configured_proxy(proxied_app, app, limits_on):
    proxied_app.config.update(RATELIMIT_ENABLED=True, RATELIMIT_SIGN="2 per minute")
    try:
        slug = _open_appeal(proxied_app)
        client = proxied_app.test_client()
        for i in range(3):
            _sign(client, slug, f"p{i}@example.org", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        with proxied_app.app_context():
            assert _count(Signature, Signature.status == "suspect") == 0
        for i in range(3, 6):  # one client behind the proxy, over its burst
            _sign(client, slug, f"q{i}@example.org", HTTP_X_FORWARDED_FOR="198.51.100.7")
        with proxied_app.app_context():
            assert _count(Signature, Signature.status == "suspect") == 1
            keys = _db.session.scalars(select(RateLimitCounter.key)).all()
            # Counted under the address's keyed pseudonym, never the address itself.
            assert any(pseudonym("198.51.100.7") in key for key in keys)
    finally:
        proxied_app.config.update(RATELIMIT_ENABLED=False)


def test_suspect_signature_is_not_counted_on_the_public_page(app, client, limits_on):
    slug = _open_appeal(app)
    for i in range(3):
        _sign(client, slug, f"s{i}@example.org")
    with app.app_context():
        assert _db.session.scalar(select(Appeal.confirmed_count)) == 0
        assert _count(Signature, Signature.status == "suspect") == 1
    page = client.get(f"/a/{slug}").get_data(as_text=True)
    assert 'id="signature-count">0</strong>' in page


def test_flood_over_the_ceiling_is_refused_and_nothing_is_stored(app, client, limits_on):
    slug = _open_appeal(app)
    app.config["RATELIMIT_SIGN_CEILING"] = "3 per hour"
    try:
        answers = [_sign(client, slug, f"f{i}@example.org").status_code for i in range(5)]
        refused = _sign(client, slug, "g@example.org").get_data(as_text=True)
    finally:
        app.config["RATELIMIT_SIGN_CEILING"] = "600 per hour"
    assert answers == [303, 303, 303, 429, 429]
    assert "Please wait a minute and try again." in refused
    with app.app_context():
        assert _count(Signature) == 3



def test_appeal_paused_between_reading_the_form_and_signing_refuses_with_the_paused_page(
        app, client, monkeypatch):
    """The state is re-read inside the write transaction, so a pause that lands mid-request holds."""
    from app.public.forms import SignForm

    slug = _open_appeal(app)
    real_input = SignForm.signature_input

    def pause_first(form):  # noqa: ANN001
        # The view has read the appeal as open and validated the form: a coordinator pauses it
        # now, through another connection, before the signature is written.
        with _db.engine.begin() as conn:
            conn.execute(Appeal.__table__.update().values(state="paused", paused_notice="Hearing"))
        return real_input(form)

    monkeypatch.setattr(SignForm, "signature_input", pause_first)
    html = client.get(f"/a/{slug}").get_data(as_text=True)
    recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)
    response = client.post(f"/a/{slug}", data={**VALID, "email": "late@example.org",
                                                "csrf_token": csrf_token(html), "recipients": recipients})
    assert response.status_code == 409
    assert "Writing is paused" in response.get_data(as_text=True)
    with app.app_context():
        assert _count(Signature) == 0 and _count(OutboxMessage) == 0


def test_counters_in_the_database_hold_no_client_address(app, client, limits_on):
    """A copied database holds the rate-limit counters too: a signer's address must not be
    readable in them (keyed pseudonyms, as in the logs), neither for the sign form's limits nor
    for Flask-Limiter's (login)."""
    from app import create_app
    from app.config import TestConfig
    from app.extensions import limiter

    slug = _open_appeal(app)
    assert _sign(client, slug, "a@example.org", REMOTE_ADDR="203.0.113.77").status_code == 303
    limited = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                         RATELIMIT_ENABLED=True)
    try:
        other = limited.test_client()
        page = other.get("/login", environ_base={"REMOTE_ADDR": "203.0.113.78"})
        other.post("/login", environ_base={"REMOTE_ADDR": "203.0.113.78"}, data={
            "csrf_token": csrf_token(page.get_data(as_text=True)), "email": "x@example.org",
            "password": "nope"})
    finally:
        limiter.enabled = False
    with app.app_context():
        keys = _db.session.scalars(select(RateLimitCounter.key)).all()
    assert any("sign" in key for key in keys) and any("login" in key for key in keys), keys
    assert not [key for key in keys if "203.0.113." in key], keys
