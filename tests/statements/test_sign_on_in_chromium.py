"""An organisation signs a statement in a real headless Chromium with JavaScript disabled."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.models import OutboxMessage
from app.models.statement import OrgSignature
from tests.live import click_and_load
from tests.statements.helpers import make_statement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]


def test_organisation_signs_and_confirms_without_javascript(live_server, browser_page, db):
    page, requested = browser_page
    statement = make_statement()
    slug = statement.slug
    db.session.rollback()  # release the test's transaction so the server can write

    page.goto(f"{live_server}/statements/{slug}")
    click_and_load(page, "button:text('Sign the statement')")  # empty form: errors next to the fields
    assert page.locator("#org_name-error").inner_text() == "Please enter the organisation's name."
    assert "agree to be listed" in page.locator("#consent-error").inner_text()

    page.fill("#org_name", "Adil Soz")
    page.select_option("#country", "KZ")
    page.fill("#org_website", "adilsoz.kz")
    page.fill("#contact_name", "Tamara Kaleyeva")
    page.fill("#contact_role", "President")
    page.fill("#contact_email", "info@adilsoz.kz")
    page.check("#consent")
    click_and_load(page, "button:text('Sign the statement')")
    assert urlsplit(page.url).path == f"/statements/{slug}/thanks"

    body = db.session.scalar(select(OutboxMessage.body_text))
    db.session.rollback()
    page.goto(live_server + re.search(r"/statements/confirm/\S+", body).group(0))
    click_and_load(page, "button:text('Confirm our signature')")
    assert "the signature is confirmed" in page.content()
    signature = db.session.scalar(select(OrgSignature))
    assert (signature.status, signature.domain_verified) == ("awaiting", True)
    db.session.rollback()

    hosts = {urlsplit(url).hostname for url in requested}
    assert hosts == {"127.0.0.1"}, requested
