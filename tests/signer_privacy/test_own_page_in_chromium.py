"""The private page in real headless Chromium with JavaScript off: readable, and the delete button
works without any script or request to another host."""

from __future__ import annotations

import os

from sqlalchemy import func, select

from app.models import Signature
from tests.builders import make_appeal, make_keyed_group
from tests.signer_privacy.helpers import Signer, link_in, sign_and_confirm


def test_private_page_shows_and_deletes_without_javascript(client, db, smtp, live_server,
                                                           browser_page):
    page, requested = browser_page
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = Signer.new()
    path = link_in(sign_and_confirm(client, smtp, appeal.slug, signer), "/my/")
    db.session.remove()  # this thread's transaction would hold SQLite's writer lock
    page.goto(live_server + path)
    assert page.locator("h1").inner_text() == "What is stored about you"
    assert signer.city in page.content()
    if shots := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{shots}/own-page.png", full_page=True)
    page.get_by_role("button", name="Withdraw my signature and delete my data").click()
    assert page.locator("h1").inner_text() == "Your signature is deleted"
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert all(url.startswith(live_server) for url in requested)


def test_private_page_reads_well_on_a_phone_in_the_signers_language(client, db, smtp, live_server,
                                                                    browser_page):
    """In Kazakh on a 390 px phone the long labels took the row and every value broke letter by
    letter ("рас/тал/ды"); the appeal was named in English and the country was a code ("KZ")."""
    page, _requested = browser_page
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    appeal.translations = {"ru": {"title": "Освободите журналиста"}}
    db.session.commit()
    signer = Signer.new()
    path = link_in(sign_and_confirm(client, smtp, appeal.slug, signer), "/my/")
    db.session.remove()
    page.goto(live_server + path.split("?")[0] + "?lang=kk")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for value in page.locator("dl.facts dd").all():
        assert value.bounding_box()["width"] > 120, value.inner_text()
    text = page.locator("main").inner_text()
    assert "«Освободите журналиста»" in text and "Free the journalist" not in text
    assert "Қазақстан" in page.locator("dl.facts dd").nth(2).inner_text()  # not "KZ"
