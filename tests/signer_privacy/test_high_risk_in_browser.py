"""High-risk mode and duplicate removal from the appeal's coordinator page, without a shell."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.models import Appeal, Signature
from tests.builders import key_upload, make_appeal, make_group, make_keyed_group
from tests.conftest import csrf_token
from tests.signer_privacy.helpers import Signer, sign


def _form_token(html: str, action: str) -> str:
    """The CSRF token of the form posting to `action` (with or without a #fragment)."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}(?:#[\w-]+)?".*?</form>', html, re.S)
    assert form, f"no form posting to {action}"
    return csrf_token(form.group(0))


def _switch(client, appeal, **data):
    action = f"/coordinator/appeals/{appeal.slug}/high-risk"
    page = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    return client.post(action, data={"csrf_token": _form_token(page, action), **data})


def _dedupe(client, appeal, **data):
    action = f"/coordinator/appeals/{appeal.slug}/duplicates"
    page = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    return client.post(action, data={"csrf_token": _form_token(page, action), **data},
                       content_type="multipart/form-data")


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Signature))


def test_coordinator_turns_high_risk_on_and_removes_duplicates_with_the_key(client, db, login):
    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    sign(client, appeal.slug, Signer.new("before"))
    login(group=group)
    page = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    assert "even with the server's secret nobody can test whether a known address signed" in page

    assert _switch(client, appeal, high_risk="y").status_code == 303
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).high_risk
    assert db.session.scalars(select(Signature.email_hash)).all() == [None]  # the kept one erased
    signer = Signer.new()
    sign(client, appeal.slug, signer)
    sign(client, appeal.slug, Signer(signer.name, signer.email.upper(), "Elsewhere", "Again"))
    assert _count(db) == 3

    refused = _dedupe(client, appeal, key_file=key_upload("not a key"))
    assert refused.status_code == 400
    assert re.search(r'<p class="error" id="key_file-error">This file is not an Appeal Desk key file',
                     refused.get_data(as_text=True))
    assert _count(db) == 3
    done = _dedupe(client, appeal, key_file=key_upload(key))
    assert done.status_code == 303
    assert "1 duplicate signature removed." in client.get(done.location).get_data(as_text=True)
    db.session.expire_all()
    assert _count(db) == 2


def test_high_risk_off_keeps_hashes_for_new_signatures(client, db, login):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    appeal.high_risk = True
    db.session.commit()
    login(group=group)
    response = _switch(client, appeal)  # the box left unticked
    assert response.status_code == 303
    assert "High-risk mode is off" in client.get(response.location).get_data(as_text=True)
    sign(client, appeal.slug, Signer.new())
    assert db.session.scalar(select(Signature.email_hash)) is not None


def test_high_risk_needs_the_organisation_key_first(client, db, login):
    group = make_group()
    appeal = make_appeal(group=group)
    login(group=group)
    response = _switch(client, appeal, high_risk="y")
    assert response.status_code == 400
    assert re.search(r'<p class="error" id="high_risk-error">Create your organisation&#39;s key first',
                     response.get_data(as_text=True))
    db.session.expire_all()
    assert not db.session.get(Appeal, appeal.id).high_risk


def test_dedupe_without_a_key_file_names_the_field(client, db, login):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    login(group=group)
    refused = _dedupe(client, appeal)
    assert refused.status_code == 400
    assert "Choose your organisation&#39;s key file." in refused.get_data(as_text=True)


def test_another_organisations_coordinator_gets_404(client, db, login):
    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    other, _other_key = make_keyed_group(slug="other", name="Other")
    login(group=other)
    token = csrf_token(client.get("/coordinator/").get_data(as_text=True))
    base = f"/coordinator/appeals/{appeal.slug}"
    assert client.get(f"{base}/high-risk").status_code == 404
    assert client.post(f"{base}/high-risk", data={"csrf_token": token, "high_risk": "y"}
                       ).status_code == 404
    assert client.post(f"{base}/duplicates", data={"csrf_token": token, "key_file": key_upload(key)},
                       content_type="multipart/form-data").status_code == 404
    db.session.expire_all()
    assert not db.session.get(Appeal, appeal.id).high_risk


def test_switch_without_csrf_token_changes_nothing(client, db, login):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    login(group=group)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/high-risk", data={"high_risk": "y"})
    assert response.status_code == 400
    db.session.expire_all()
    assert not db.session.get(Appeal, appeal.id).high_risk
