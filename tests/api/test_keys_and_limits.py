"""API keys made and revoked by coordinators in the browser; the API's rate limit."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app import create_app
from app.config import TestConfig
from app.extensions import limiter
from app.models import ApiKey
from tests.builders import make_group
from tests.conftest import csrf_token


def _create_key(client, label: str = "Our CRM"):
    page = client.get("/coordinator/integrations/").get_data(as_text=True)
    return client.post("/coordinator/integrations/keys",
                       data={"csrf_token": csrf_token(page), "label": label})


def test_coordinator_creates_a_key_shown_once_and_revokes_it(client, login, db):
    login(group=make_group())
    response = _create_key(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-key-secret">([^<]+)<', html).group(1)
    assert client.get("/api/v1/petitions", headers={"OSDI-API-Token": secret}).status_code == 200
    again = client.get("/coordinator/integrations/").get_data(as_text=True)
    assert secret not in again and secret[:10] in again  # the prefix identifies it, once shown

    key_id = db.session.scalar(select(ApiKey.id))
    revoked = client.post("/coordinator/integrations/keys/revoke",
                          data={"csrf_token": csrf_token(again), "key_id": key_id})
    assert revoked.status_code == 303
    assert client.get("/api/v1/petitions", headers={"OSDI-API-Token": secret}).status_code == 401


def test_key_form_errors_name_the_field_and_csrf_is_required(client, login, db):
    login(group=make_group())
    response = _create_key(client, label="")
    assert response.status_code == 400
    assert "Name the key, so you know it later." in response.get_data(as_text=True)
    assert client.post("/coordinator/integrations/keys", data={"label": "x"}).status_code == 400
    assert db.session.scalar(select(ApiKey.id)) is None


def test_coordinator_cannot_revoke_another_organisations_key(client, login, db):
    from app.api.keys import create_key

    other = make_group(slug="other", name="Other")
    _raw, key = create_key(other.id, "theirs", None)
    login(group=make_group())
    page = client.get("/coordinator/integrations/").get_data(as_text=True)
    response = client.post("/coordinator/integrations/keys/revoke",
                           data={"csrf_token": csrf_token(page), "key_id": key.id})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(ApiKey, key.id).revoked_at is None


def test_account_without_organisation_holds_no_keys(client, login, db):
    login(role="admin")
    assert "belongs to no organisation" in client.get("/coordinator/integrations/").get_data(as_text=True)
    page = client.get("/coordinator/integrations/").get_data(as_text=True)
    assert client.post("/coordinator/integrations/keys",
                       data={"csrf_token": csrf_token(page), "label": "x"}).status_code == 403


@pytest.fixture
def limited_app(app):
    limited = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                         RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute")
    yield limited
    limiter.enabled = False


def test_api_is_rate_limited_per_key_or_client(limited_app, db):
    client = limited_app.test_client()
    codes = [client.get("/api/v1/petitions").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/petitions").get_json()["status"] == 429
    other = client.get("/api/v1/petitions", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
