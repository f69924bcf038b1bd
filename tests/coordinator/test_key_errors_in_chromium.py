"""A key file refused on the long appeal page is seen where it was chosen, with JavaScript off.

The export sits near the end of the appeal page; a refusal reloaded the page at its top, and on a
phone the message naming the key file was many screens below.
"""

from __future__ import annotations

import shutil

import pytest

from tests.live import click_and_load, keyed_appeal_logged_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= height


def test_export_refused_for_its_key_file_shows_the_message_in_view(db, live_server, browser_page):
    page, _requested = browser_page
    slug, _key = keyed_appeal_logged_in(page, live_server, db)

    page.goto(f"{live_server}/coordinator/appeals/{slug}")
    page.check("#include_emails")
    click_and_load(page, page.get_by_role("button", name="Download CSV"))
    assert _in_view(page, "#export-key_file-error")
    assert "Choose your organisation's key file." in page.locator("#export-key_file-error").inner_text()


def test_duplicate_removal_refusal_and_result_show_in_view(db, live_server, browser_page, tmp_path):
    """The duplicate removal's refusal reloads long paragraphs below the top on a phone; its result
    is said at the top, and a page reached from the #dedupe form must not open scrolled past it."""
    page, _requested = browser_page
    slug, key = keyed_appeal_logged_in(page, live_server, db)
    page.goto(f"{live_server}/coordinator/appeals/{slug}")
    click_and_load(page, page.get_by_role("button", name="Remove duplicates"))
    assert _in_view(page, "#key_file-error")
    key_file = tmp_path / "org.appeal-desk-key"
    key_file.write_text(key)
    page.set_input_files("#key_file", str(key_file))
    click_and_load(page, page.get_by_role("button", name="Remove duplicates"))
    assert "0 duplicate signatures removed." in page.locator(".flash").inner_text()
    assert _in_view(page, ".flash")
