"""Signed webhooks for confirmed signatures, through the webhook outbox, with retries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.models import WebhookDelivery, utcnow
from app.webhooks import signing
from app.webhooks.delivery import claim_due, deliver_due
from app.webhooks.service import add_endpoint, disable_endpoint
from tests.builders import make_appeal, make_group, make_post
from tests.conftest import free_port
from tests.partners.helpers import confirm_latest, embed_sign, make_partner
from tests.webhooks.receiver import Receiver, documented_check


@pytest.fixture
def receiver():
    hook = Receiver(free_port())
    yield hook
    hook.stop()


@pytest.fixture
def campaign(db, receiver):
    """An appeal of a group with one webhook endpoint pointing at the (not yet started) receiver."""
    group = make_group()
    appeal = make_appeal(slug="batyrbekov", group=group)
    make_partner(appeal)
    receiver.secret, endpoint = add_endpoint(group.id, f"http://127.0.0.1:{receiver.port}/hook")
    return appeal, endpoint


def _confirmed_signature(client, email: str, display: str = "none") -> None:
    assert embed_sign(client, "batyrbekov", "pen-kz", email=email,
                      public_display=display).status_code == 303
    confirm_latest(client)


def _count(db, **where) -> int:
    query = select(func.count()).select_from(WebhookDelivery)
    for column, value in where.items():
        query = query.where(getattr(WebhookDelivery, column) == value)
    return db.session.scalar(query)


def test_endpoint_down_gets_each_event_once_it_is_back_exactly_once(client, db, campaign, receiver):
    _confirmed_signature(client, "one@example.org")
    _confirmed_signature(client, "two@example.org")
    assert _count(db) == 2
    for _ in range(3):  # down: nothing listens on the port
        assert deliver_due() == 0
    db.session.expire_all()
    assert _count(db, status="pending", attempts=3) == 2

    receiver.start()
    assert deliver_due() == 2
    assert deliver_due() == 0  # nothing is sent twice
    assert len(receiver.hits) == 2 and len(set(receiver.acted)) == 2
    assert _count(db, status="sent") == 2


def test_event_sent_again_after_a_lost_acknowledgement_is_acted_on_once(client, db, campaign, receiver):
    receiver.start()
    _confirmed_signature(client, "one@example.org")
    assert deliver_due() == 1
    # As if our record of the 2xx was lost (a crash before the commit): the lease runs out.
    row = db.session.scalar(select(WebhookDelivery))
    row.status, row.claimed_at = "sending", utcnow() - timedelta(hours=1)
    db.session.commit()
    assert deliver_due() == 1
    assert len(receiver.hits) == 2
    ids = [hit["headers"]["Appeal-Desk-Event-Id"] for hit in receiver.hits]
    assert ids[0] == ids[1] and receiver.acted == ids[:1]  # the same id: acted on once


def test_signature_header_verifies_with_the_documented_scheme(client, db, campaign, receiver):
    receiver.start()
    _confirmed_signature(client, "one@example.org")
    deliver_due()
    hit = receiver.hits[0]
    header = hit["headers"]["Appeal-Desk-Signature"]
    assert documented_check(receiver.secret, header, hit["body"])
    assert signing.verify(receiver.secret, header, hit["body"])
    assert not documented_check(receiver.secret, header, hit["body"] + b" ")
    assert not documented_check("whsec_other", header, hit["body"])
    old = signing.header_value(receiver.secret, hit["body"], timestamp=1_000_000_000)
    assert not signing.verify(receiver.secret, old, hit["body"])  # a replay is refused


def test_payload_shares_least_data(client, db, campaign, receiver):
    receiver.start()
    _confirmed_signature(client, "hidden@example.org")
    _confirmed_signature(client, "shown@example.org", display="full")
    deliver_due()
    hidden, shown = (json.loads(hit["body"]) for hit in receiver.hits)
    assert hidden["event_type"] == "signature.confirmed"
    assert "osdi:person" not in json.dumps(hidden)
    assert shown["signature"]["_embedded"]["osdi:person"]["appeal_desk:display_name"] == "Aigerim Sultanova"
    assert b"Sultanova" not in receiver.hits[0]["body"]  # the hidden signer is not named
    assert all(b"@example.org" not in hit["body"] for hit in receiver.hits)


def test_failing_receiver_is_retried_with_growing_backoff(app, client, db, campaign, receiver):
    receiver.start()
    receiver.status = 500
    _confirmed_signature(client, "one@example.org")
    app.config["WEBHOOK_BACKOFF_BASE_S"] = 30
    try:
        deliver_due()
        row = db.session.scalar(select(WebhookDelivery))
        first_wait = row.next_attempt_at - utcnow()
        assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)
        assert row.last_error == "HTTPError: 500"
        assert claim_due(10) == []  # not due yet
        row.next_attempt_at = utcnow()
        db.session.commit()
        deliver_due()
        assert timedelta(seconds=55) < row.next_attempt_at - utcnow() <= timedelta(seconds=60)
    finally:
        app.config["WEBHOOK_BACKOFF_BASE_S"] = 0
    receiver.status = 200
    row.next_attempt_at = utcnow()
    db.session.commit()
    assert deliver_due() == 1
    assert len(receiver.hits) == 3 and len(receiver.acted) == 1


def test_redirect_is_not_a_delivery(client, db, campaign, receiver):
    receiver.start()
    receiver.status = 302
    _confirmed_signature(client, "one@example.org")
    assert deliver_due() == 0
    assert len(receiver.hits) == 1  # not followed to /elsewhere
    assert _count(db, status="pending") == 1


def test_gives_up_after_the_last_attempt(app, client, db, campaign, receiver):
    _confirmed_signature(client, "one@example.org")
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 2
    try:
        deliver_due()
        deliver_due()
    finally:
        app.config["WEBHOOK_MAX_ATTEMPTS"] = 40
    assert _count(db, status="failed", attempts=2) == 1


def test_disabled_endpoint_and_other_groups_get_nothing(client, db, campaign, receiver):
    appeal, endpoint = campaign
    receiver.start()
    other = make_group(slug="other", name="Other")
    make_appeal(slug="other-appeal", group=other, posts=[make_post(slug="other-post")])
    add_endpoint(other.id, f"http://127.0.0.1:{free_port()}/never")
    _confirmed_signature(client, "one@example.org")
    assert _count(db) == 1  # only the appeal's own group is told
    disable_endpoint(appeal.group_id, endpoint.id)
    assert deliver_due() == 0
    assert receiver.hits == []
    assert _count(db, status="failed") == 1
    _confirmed_signature(client, "two@example.org")
    assert _count(db) == 1  # a disabled endpoint gets no new events


def test_cli_delivers_once(app, client, db, campaign, receiver):
    receiver.start()
    _confirmed_signature(client, "one@example.org")
    result = app.test_cli_runner().invoke(args=["webhooks", "deliver", "--once"])
    assert result.exit_code == 0 and "webhooks sent: 1" in result.output
    assert len(receiver.hits) == 1
