"""High-risk mode and duplicate removal in a real Chromium with JavaScript off: a checkbox, a
file upload and two buttons, nothing else."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import func, select

from app.models import Signature
from tests.live import click_and_load, keyed_appeal_logged_in
from tests.signer_privacy.helpers import Signer, sign

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]


def test_high_risk_on_and_duplicates_removed_without_javascript(
        client, db, live_server, browser_page, tmp_path):
    page, requested = browser_page
    slug, key = keyed_appeal_logged_in(page, live_server, db)
    page.goto(f"{live_server}/coordinator/appeals/{slug}")
    page.check("#high_risk")
    click_and_load(page, page.get_by_role("button", name="Save high-risk mode"))
    assert "High-risk mode is on" in page.locator("#high-risk-state").inner_text()

    signer = Signer.new()
    sign(client, slug, signer)
    sign(client, slug, signer)
    db.session.remove()
    key_file = tmp_path / "adil-soz.appeal-desk-key"
    key_file.write_text(key)
    page.set_input_files("#key_file", str(key_file))
    click_and_load(page, page.get_by_role("button", name="Remove duplicates"))
    assert "1 duplicate signature removed." in page.content()
    if shots := os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=f"{shots}/high-risk.png", full_page=True)
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
    assert all(url.startswith(live_server) for url in requested)
