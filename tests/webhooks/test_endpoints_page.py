"""Coordinators add and disable webhook endpoints of their organisation in the browser."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models import WebhookEndpoint
from tests.builders import make_group
from tests.conftest import csrf_token

PAGE = "/coordinator/integrations/"


def _add(client, url: str):
    page = client.get(PAGE).get_data(as_text=True)
    return client.post("/coordinator/integrations/webhooks",
                       data={"csrf_token": csrf_token(page), "url": url})


def test_endpoint_secret_is_shown_once_and_endpoint_can_be_disabled(client, login, db):
    login(group=make_group())
    response = _add(client, "https://crm.example.org/hooks/appeal-desk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="new-endpoint-secret">(whsec_[0-9a-f]{64})<', html).group(1)
    again = client.get(PAGE).get_data(as_text=True)
    assert secret not in again and "https://crm.example.org/hooks/appeal-desk" in again
    endpoint = db.session.scalar(select(WebhookEndpoint))
    assert endpoint.secret == secret
    disabled = client.post("/coordinator/integrations/webhooks/disable",
                           data={"csrf_token": csrf_token(again), "endpoint_id": endpoint.id})
    assert disabled.status_code == 303
    db.session.expire_all()
    assert db.session.get(WebhookEndpoint, endpoint.id).disabled_at is not None


def test_plain_http_or_credentials_in_the_address_are_refused(app, client, login, db):
    login(group=make_group())
    app.config["WEBHOOK_ALLOW_HTTP"] = False
    try:
        refused = _add(client, "http://crm.example.org/hook")
        internal = [_add(client, url) for url in ("https://127.0.0.1:8443/", "https://10.0.0.5/hook",
                                                   "https://[::1]/", "https://localhost/")]
    finally:
        app.config["WEBHOOK_ALLOW_HTTP"] = True
    assert refused.status_code == 400
    assert "Use an https:// address." in refused.get_data(as_text=True)
    for response in internal:
        assert response.status_code == 400
        assert "points into our own network" in response.get_data(as_text=True)
    for url, message in (("https://user:pw@crm.example.org/", "Do not put a user name or password"),
                         ("ftp://crm.example.org/", "Use an http:// or https:// address."),
                         ("", "Enter the address that receives the events.")):
        response = _add(client, url)
        assert response.status_code == 400 and message in response.get_data(as_text=True), url
    assert db.session.scalar(select(WebhookEndpoint)) is None


@pytest.mark.parametrize("url", [
    "https://2130706433/hook", "https://127.1/", "https://0x7f.0.0.1/", "https://0177.0.0.1/",
    "https://10.1/", "https://0/", "https://localhost./", "https://api.localhost./",
])
def test_internal_addresses_in_the_forms_a_resolver_also_reads_are_refused(app, client, login, db,
                                                                            url):
    """The system resolver reads 2130706433, 127.1 or 0x7f.0.0.1 as 127.0.0.1 and `localhost.`
    as localhost: each would reach our own network as surely as 127.0.0.1 does."""
    login(group=make_group())
    app.config["WEBHOOK_ALLOW_HTTP"] = False
    try:
        response = _add(client, url)
    finally:
        app.config["WEBHOOK_ALLOW_HTTP"] = True
    assert response.status_code == 400
    assert "points into our own network" in response.get_data(as_text=True)
    assert db.session.scalar(select(WebhookEndpoint)) is None
