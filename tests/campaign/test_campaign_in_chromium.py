"""A coordinator runs the lifecycle in a real Chromium with JavaScript off; the public page
shows the deadline, then the outcome."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest

from app.auth.service import create_user
from tests.builders import make_appeal, make_group
from tests.live import click_and_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]


def test_deadline_and_outcome_set_in_the_browser_show_on_the_public_page(
        live_server, browser_page, db, tmp_path):
    page, requested = browser_page
    group = make_group()
    make_appeal(slug="free-him", title="Free the journalist", group=group)
    create_user("coord@example.org", "correct horse battery", role="coordinator", group=group)
    db.session.commit()
    db.session.rollback()  # release the test's transaction so the server can write
    day = date.today() + timedelta(days=30)

    page.goto(live_server + "/login")
    page.fill("#email", "coord@example.org")
    page.fill("#password", "correct horse battery")
    click_and_load(page, "button[type=submit]")
    page.goto(live_server + "/coordinator/appeals/free-him")
    page.fill("#write_before", day.isoformat())
    click_and_load(page, "button:text('Save deadline')")
    assert "Deadline saved." in page.content()

    page.goto(live_server + "/a/free-him")
    deadline = page.locator("#write-before")
    assert deadline.inner_text() == f"Write before {day:%B} {day.day}, {day.year}"
    page.screenshot(path=str(tmp_path / "public-open.png"), full_page=True)

    page.goto(live_server + "/coordinator/appeals/free-him")
    page.select_option("#outcome", "sentence_reduced")
    click_and_load(page, "button:text('Close the appeal')")
    assert "The appeal is closed. Outcome: Sentence reduced." in page.content()

    page.goto(live_server + "/a/free-him?lang=ru")
    assert page.locator("#outcome").inner_text() == "Итог: Срок сокращён"
    assert page.locator("#write-before").count() == 0  # closed: no deadline to meet
    page.screenshot(path=str(tmp_path / "public-closed.png"), full_page=True)
    assert {url.split("/")[2] for url in requested} == {live_server.split("/")[2]}
