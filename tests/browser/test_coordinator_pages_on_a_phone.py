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


@pytest.mark.parametrize("path", ["/coordinator/directory/", "/coordinator/appeals/{slug}/signers"])
def test_a_form_in_a_panel_does_not_touch_the_panels_top_edge(live_server, browser_page, db, path):
    page, _requested = browser_page
    slug = _logged_in(page, live_server, db)
    page.goto(live_server + path.format(slug=slug))
    panel = page.locator("form.panel").first.bounding_box()
    label = page.locator("form.panel label").first.bounding_box()
    assert label["y"] - panel["y"] >= 12  # the label sat on the border (1 px away)


def test_a_date_field_is_drawn_like_the_other_fields(live_server, browser_page, db):
    """Date fields kept the browser's small default font and 2 px padding beside 16 px fields."""
    page, _requested = browser_page
    slug = _logged_in(page, live_server, db)
    page.goto(live_server + f"/coordinator/delivery/{slug}")
    style = "e => [getComputedStyle(e).fontSize, getComputedStyle(e).paddingTop]"
    assert page.locator("#sent_on").evaluate(style) == page.locator("#tracking_number").evaluate(style)


def test_submit_inputs_look_like_the_other_buttons(live_server, browser_page, db):
    """The letter template's Preview and Save were the browser's small grey default buttons."""
    page, _requested = browser_page
    slug = _logged_in(page, live_server, db)
    page.goto(live_server + f"/coordinator/letters/{slug}/template")
    look = "e => ['backgroundColor', 'color', 'fontSize'].map(k => getComputedStyle(e)[k])"
    for name in ("preview", "save"):
        assert page.locator(f"input[type=submit][name={name}]").evaluate(look) == [
            "rgb(138, 28, 28)", "rgb(255, 255, 255)", "16px"]  # as every <button> (--accent)
