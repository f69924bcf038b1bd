"""Exports with e-mail addresses and case updates need the organisation's key, uploaded for the
action; without it nothing is exported or queued. The key page makes the key once."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from app.models import CaseEvent, Group, OutboxMessage
from tests.builders import key_upload, make_appeal, make_group, make_keyed_group, make_post
from tests.conftest import csrf_token
from tests.signer_privacy.helpers import Signer, sign_and_confirm


def _export(client, appeal, **form):
    page = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    return client.post(f"/coordinator/appeals/{appeal.slug}/signatures.csv",
                       data={"csrf_token": csrf_token(page), **form},
                       content_type="multipart/form-data")


def _signed(client, smtp, login):
    group, key = make_keyed_group()
    appeal = make_appeal(group=group, posts=[make_post(contacts=[("email", "x@example.org")])])
    signer = Signer.new()
    sign_and_confirm(client, smtp, appeal.slug, signer)
    login(group=group)
    return group, key, appeal, signer


def test_export_of_emails_without_the_key_is_refused_with_the_field_named(client, db, smtp, login):
    _group, _key, appeal, signer = _signed(client, smtp, login)
    response = _export(client, appeal, include_emails="y")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose your organisation&#39;s key file." in html and signer.email not in html


def test_export_with_another_organisations_key_is_refused(client, db, smtp, login):
    _group, _key, appeal, signer = _signed(client, smtp, login)
    _other, other_key = make_keyed_group(slug="other", name="Other")
    response = _export(client, appeal, include_emails="y", key_file=key_upload(other_key))
    assert response.status_code == 400
    assert "not your organisation" in response.get_data(as_text=True)
    garbage = _export(client, appeal, include_emails="y", key_file=key_upload("hello"))
    assert "not an Appeal Desk key file" in garbage.get_data(as_text=True)


def test_export_with_the_key_opens_every_sealed_detail(client, db, smtp, login):
    _group, key, appeal, signer = _signed(client, smtp, login)
    response = _export(client, appeal, include_emails="y", key_file=key_upload(key))
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert row[header.index("email")] == signer.email
    assert row[header.index("name")] == signer.name and row[header.index("city")] == signer.city
    without = _export(client, appeal)  # no key, no e-mails: only what is in clear
    assert signer.name not in without.get_data(as_text=True)


def test_case_update_without_the_key_queues_nothing_and_with_it_reaches_the_signer(
        client, db, smtp, login):
    _group, key, appeal, signer = _signed(client, smtp, login)
    page = client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "date": "2026-11-30", "kind": "hearing",
            "title": "Hearing", "public": "y", "notify": "y"}
    refused = client.post(f"/coordinator/delivery/{appeal.slug}/events", data=form,
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "Choose your organisation&#39;s key file." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 0
    before = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    done = client.post(f"/coordinator/delivery/{appeal.slug}/events",
                       data={**form, "key_file": key_upload(key)},
                       content_type="multipart/form-data")
    assert done.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == before + 1
    from app.delivery.worker import deliver_due
    assert deliver_due() == 1
    assert smtp.wait_for(2)[-1]["To"] == signer.email


def test_key_page_creates_the_key_once_and_stores_only_its_public_half(client, db, login):
    group = make_group()
    login(group=group)
    page = client.get("/coordinator/key")
    assert page.status_code == 200
    assert client.post("/coordinator/key", data={}).status_code == 400  # CSRF
    made = client.post("/coordinator/key", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert made.status_code == 200
    assert made.headers["Content-Disposition"].startswith("attachment")
    assert made.headers["Cache-Control"] == "no-store"
    key_text = made.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Group, group.id)
    assert stored.public_key is not None and len(stored.public_key) == 32
    from app.sealing.keys import read_key_file
    private = read_key_file(key_text.encode(), stored)
    assert bytes(private) not in stored.public_key
    again_page = client.get("/coordinator/key").get_data(as_text=True)
    again = client.post("/coordinator/key", data={"csrf_token": csrf_token(again_page)})
    assert again.status_code == 303  # refused: a second key would lock away the first
    db.session.expire_all()
    assert db.session.get(Group, group.id).public_key == stored.public_key


def test_services_refuse_to_reach_sealed_addresses_without_the_key(db):
    """Below the views (which ask for the key file first): an export with addresses or an event
    that e-mails signers, called without the key, refuses before reading or storing anything."""
    from datetime import date

    import pytest

    from app.coordinator.exports import signatures_csv
    from app.delivery.timeline import EventInput, add_event
    from app.sealing.keys import KeyRequired

    appeal = make_appeal(group=make_keyed_group()[0])
    with pytest.raises(KeyRequired):
        next(signatures_csv(appeal.id, include_emails=True))
    with pytest.raises(KeyRequired):
        add_event(appeal, EventInput(date=date(2026, 11, 30), kind="hearing", title="Hearing"),
                  notify=True)
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 0
