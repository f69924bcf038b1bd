"""The public signing path in a real headless Chromium with JavaScript disabled."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.models import Appeal, OutboxMessage
from tests.builders import make_appeal, make_post
from tests.live import click_and_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]

def test_whole_sign_flow_works_without_javascript_and_stays_on_loopback(live_server, browser_page, db):
    page, requested = browser_page
    make_appeal(slug="batyrbekov", title="Release Amangeldy Batyrbekov",
                posts=[make_post(slug="kz-minister-information", label="Minister of Information"),
                       make_post(slug="kz-general-prosecutor", label="General Prosecutor",
                                 holder="Gizat Nurdauletov")])
    db.session.rollback()  # release the test's transaction so the server can write

    page.goto(live_server + "/")
    click_and_load(page, "text=Release Amangeldy Batyrbekov")
    assert page.locator("#signature-count").inner_text() == "0"
    page.fill("#name", "Aigerim Sultanova")
    page.fill("#email", "aigerim@example.org")
    page.select_option("#country", "KZ")
    page.click("details.more summary")  # the optional fields are folded (no script needed)
    page.fill("#city", "Almaty")
    click_and_load(page, "button:text('Sign')")
    assert urlsplit(page.url).path == "/a/batyrbekov/thanks"
    assert "Check your e-mail" in page.content()

    body = db.session.scalar(select(OutboxMessage.body_text))
    db.session.rollback()
    confirm_path = re.search(r"/confirm/\S+", body).group(0)
    page.goto(live_server + confirm_path)
    click_and_load(page, "button:text('Confirm my signature')")
    assert "your signature is confirmed" in page.content()

    page.goto(live_server + "/a/batyrbekov")
    assert page.locator("#signature-count").inner_text() == "1"
    assert db.session.scalar(select(Appeal.confirmed_count)) == 1

    hosts = {urlsplit(url).hostname for url in requested}
    assert hosts == {"127.0.0.1"}, requested
    assert any(url.endswith("/static/style.css") for url in requested)


def test_form_errors_are_shown_without_javascript(live_server, browser_page, db):
    page, _requested = browser_page
    make_appeal(slug="kobeysinov")
    db.session.rollback()
    page.goto(live_server + "/a/kobeysinov")
    page.fill("#email", "not an address")
    click_and_load(page, "button:text('Sign')")
    assert page.locator("#name-error").inner_text() == "Please enter your name."
    assert "not valid" in page.locator("#email-error").inner_text()
    assert page.locator("#email").input_value() == "not an address"
