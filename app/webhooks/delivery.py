"""Sending the webhook outbox: claim due rows, POST them signed, retry with back-off.

Separate from the SMTP worker (app/delivery/worker.py) so each can change alone: run
`flask webhooks deliver` next to `flask worker`, or call `deliver_due()` from any loop.
Delivery is at least once; the receiver keeps each event id once (docs/api.md), which makes
it exactly once at the receiver, also when our record of a 2xx is lost to a crash.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from app.extensions import db
from app.models import WebhookDelivery, WebhookEndpoint, utcnow
from app.models.enums import OutboxStatus
from app.webhooks.signing import EVENT_HEADER, HEADER, header_value

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a 2xx: never re-POST the event to another address."""

    def redirect_request(self, *_args, **_kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def claim_due(limit: int) -> list[int]:
    """Mark up to `limit` due rows (or rows whose lease ran out) as ours. Commits."""
    now = utcnow()
    query = (select(WebhookDelivery.id).where(or_(
        (WebhookDelivery.status == OutboxStatus.PENDING) & (WebhookDelivery.next_attempt_at <= now),
        (WebhookDelivery.status == OutboxStatus.SENDING) & (WebhookDelivery.claimed_at < now - LEASE),
    )).order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(query))
    if ids:
        db.session.execute(update(WebhookDelivery).where(WebhookDelivery.id.in_(ids))
                           .values(status=OutboxStatus.SENDING, claimed_at=now))
    db.session.commit()
    return ids


def post_event(url: str, secret: str, event_id: str, body: bytes) -> None:
    """POST one event, signed; raises on anything but a 2xx answer."""
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "AppealDesk-Webhooks/1",
        HEADER: header_value(secret, body), EVENT_HEADER: event_id})
    with _OPENER.open(request, timeout=current_app.config["WEBHOOK_TIMEOUT_S"]) as response:
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not a 2xx answer", None, None)


def _backoff(attempts: int) -> timedelta:
    config = current_app.config
    return timedelta(seconds=min(config["WEBHOOK_BACKOFF_BASE_S"] * 2 ** (attempts - 1),
                                 config["WEBHOOK_BACKOFF_MAX_S"]))


def _attempt(row: WebhookDelivery, endpoint: WebhookEndpoint) -> None:
    """Send one claimed row and record the result (not committed)."""
    row.attempts += 1
    try:
        post_event(endpoint.url, endpoint.secret, row.event_id, row.payload.encode())
    except (OSError, ValueError) as error:  # URLError, HTTPError and timeouts are OSErrors
        # The reason only: an address or a body never goes to the log or the row.
        reason = f"{type(error).__name__}: {getattr(error, 'code', '') or getattr(error, 'reason', '')}"
        row.last_error = reason[:300]
        given_up = row.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]
        row.status = OutboxStatus.FAILED if given_up else OutboxStatus.PENDING
        row.next_attempt_at = utcnow() + _backoff(row.attempts)
        log.warning("webhook delivery %s to endpoint %s failed (attempt %s): %s",
                    row.id, endpoint.id, row.attempts, reason)
        return
    row.status, row.sent_at, row.last_error = OutboxStatus.SENT, utcnow(), None


def send_claimed(ids: list[int]) -> int:
    """Deliver claimed rows one by one, committing each result. Returns how many got a 2xx."""
    sent = 0
    for row_id in ids:
        row = db.session.get(WebhookDelivery, row_id)
        endpoint = db.session.get(WebhookEndpoint, row.endpoint_id) if row else None
        if row is None or endpoint is None:
            continue
        if endpoint.disabled_at is not None:
            row.status, row.last_error = OutboxStatus.FAILED, "endpoint disabled"
        else:
            _attempt(row, endpoint)
            sent += row.status == OutboxStatus.SENT
        db.session.commit()
    return sent


def deliver_due(limit: int = 50) -> int:
    """One round: claim what is due and send it. Returns how many were delivered."""
    return send_claimed(claim_due(limit))
