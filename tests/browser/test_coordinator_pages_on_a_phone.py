"""Coordinator pages on a 390 px phone in headless Chromium with JavaScript off: nothing wider
than the screen, the menu readable (no word broken in the middle)."""

from __future__ import annotations

import shutil

import pytest

from app.auth.service import create_user
from tests.builders import make_appeal, make_group, make_post
from tests.live import click_and_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]

TITLE = "Kazakhstan: release journalist Amangeldy Batyrbekov and end criminal defamation"


def _logged_in(page, live_server: str, db) -> str:  # noqa: ANN001
    group = make_group()
    posts = [make_post(slug="kz-minister-information", label="Minister of Culture and Information "
                       "of the Republic of Kazakhstan", holder="Aida Balayeva"),
             make_post(slug="kz-general-prosecutor", label="Prosecutor General of the Republic of "
                       "Kazakhstan", holder="Berik Asylov")]
    make_appeal(slug="batyrbekov-release", title=TITLE, group=group, posts=posts)
    create_user("dana@adilsoz.kz", "correct horse battery", role="coordinator", group=group)
    db.session.commit()
    page.goto(live_server + "/login")
    page.fill("#email", "dana@adilsoz.kz")
    page.fill("#password", "correct horse battery")
    click_and_load(page, "main form button[type=submit]")
    return "batyrbekov-release"


@pytest.mark.parametrize("path", ["/coordinator/", "/coordinator/directory/",
                                  "/coordinator/letters/{slug}/", "/coordinator/delivery/{slug}"])
def test_coordinator_page_fits_a_phone_screen(live_server, browser_page, db, path):
    page, _requested = browser_page
    slug = _logged_in(page, live_server, db)
    page.goto(live_server + path.format(slug=slug))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for link in page.locator("header.site nav:not(.languages) a").all():
        box = link.bounding_box()
        assert box["height"] < 30, link.inner_text()  # one line: "Appeals", not "App/eals"
