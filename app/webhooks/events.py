"""Events for webhooks, written to the webhook outbox in the transaction that caused them."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import insert, select

from app.api import osdi
from app.api.links import petition_url, signature_url
from app.api.resources import public_signature
from app.extensions import db
from app.models import Appeal, Signature, WebhookDelivery, WebhookEndpoint, utcnow
from app.models.enums import PublicDisplay

SIGNATURE_CONFIRMED = "signature.confirmed"


def signature_payload(event_id: str, appeal: Appeal, signature: Signature) -> dict:
    """The event's body: least data. A name only if the signer chose to be shown; never an
    e-mail address (the owning organisation reads that through the API with its key)."""
    body = {"event_id": event_id, "event_type": SIGNATURE_CONFIRMED,
            "created_date": utcnow().isoformat(timespec="seconds") + "Z",
            "petition": {"identifiers": [f"appeal_desk:{appeal.slug}"],
                         "total_signatures": appeal.confirmed_count,
                         "_links": {"self": {"href": petition_url(appeal.slug)}}}}
    if signature.public_display != PublicDisplay.NONE:
        body["signature"] = osdi.dump(public_signature(appeal.slug, signature))
    else:  # only the owner's key can read this one, at its self link
        body["signature"] = {"identifiers": [f"appeal_desk:signature:{signature.id}"],
                             "_links": {"self": {"href": signature_url(appeal.slug, signature.id)}}}
    return body


def on_signature_confirmed(signature: Signature, **_extra) -> None:  # noqa: ANN003
    """Receiver of app.signatures.events.signature_confirmed."""
    queue_signature_confirmed(signature)


def queue_signature_confirmed(signature: Signature) -> int:
    """One delivery per live endpoint of the appeal's group; not committed here. Returns the count."""
    appeal = db.session.get(Appeal, signature.appeal_id)
    if appeal is None or appeal.group_id is None:
        return 0
    endpoint_ids = db.session.scalars(select(WebhookEndpoint.id).where(
        WebhookEndpoint.group_id == appeal.group_id, WebhookEndpoint.disabled_at.is_(None))).all()
    if not endpoint_ids:
        return 0
    db.session.flush()  # the count above is SQL-side: read it as committed with this change
    db.session.refresh(appeal, ["confirmed_count"])
    event_id = str(uuid.uuid4())
    payload = json.dumps(signature_payload(event_id, appeal, signature), ensure_ascii=False,
                         separators=(",", ":"))
    db.session.execute(insert(WebhookDelivery), [
        {"endpoint_id": endpoint_id, "event_id": event_id, "event_type": SIGNATURE_CONFIRMED,
         "payload": payload} for endpoint_id in endpoint_ids])
    return len(endpoint_ids)
