"""The appeal page as a person sees it, in headless Chromium with JavaScript off: the sign form
in the first screen on a desktop, one tap away on a phone; share links after confirming."""

from __future__ import annotations

import io
import re
import shutil
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import select

from app.models import OutboxMessage, ShareCount
from app.publicpage.photos import PublicPageInput, clean_photo, save_public_page
from tests.builders import make_appeal, make_group, make_post
from tests.live import click_and_load
from tests.publicpage.helpers import jpeg_with_gps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]


def _campaign(db):
    """An appeal as a coordinator prepares it: long title, photo, pitch, goal, two officials."""
    appeal = make_appeal(
        slug="batyrbekov", group=make_group(),
        title="Kazakhstan: release journalist Amangeldy Batyrbekov and end criminal defamation",
        posts=[make_post(slug="kz-minister-information", label="Minister of Information"),
               make_post(slug="kz-general-prosecutor", label="General Prosecutor")],
        body_md="The case, at length.\n\n" * 60)
    save_public_page(appeal, PublicPageInput(
        clean_photo(jpeg_with_gps()), "Amangeldy Batyrbekov", "Adil Soz",
        "Amangeldy Batyrbekov, a newspaper editor, is serving 27 months in prison for Facebook "
        "posts about corruption. Ask the authorities to free him.", 1000))
    db.session.rollback()  # release the test's transaction so the server can write
    return appeal


def _in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def test_sign_form_is_in_the_first_screen_at_1280x900(live_server, browser_page, db):
    page, _requested = browser_page
    _campaign(db)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/a/batyrbekov")
    for selector in ("#sign-heading", "#name", "#email", "#country", "#sign button[type=submit]",
                     ".appeal-photo img", "#signature-count", "#goal-progress"):
        assert _in_viewport(page, selector), selector
    photo, form = page.locator(".appeal-photo img").bounding_box(), page.locator("#sign").bounding_box()
    assert form["x"] > photo["x"] + photo["width"]  # two columns: the form beside the photo


def test_on_a_phone_one_tap_on_sign_reaches_the_form(live_server, browser_page, db):
    page, _requested = browser_page  # 390x844
    _campaign(db)
    page.goto(live_server + "/a/batyrbekov")
    assert _in_viewport(page, "a.button[href='#sign']")
    assert not _in_viewport(page, "#sign-heading")
    page.click("a.button[href='#sign']")
    assert urlsplit(page.url).fragment == "sign"
    assert _in_viewport(page, "#sign-heading") and _in_viewport(page, "#name")


def test_share_links_after_confirming_and_nothing_leaves_loopback(live_server, browser_page, db):
    page, requested = browser_page
    _campaign(db)
    page.goto(live_server + "/a/batyrbekov?ref=tg")  # arrived through a Telegram share link
    page.fill("#name", "Aigerim Sultanova")
    page.fill("#email", "aigerim@example.org")
    page.select_option("#country", "KZ")
    click_and_load(page, "#sign button[type=submit]")
    assert urlsplit(page.url).path == "/a/batyrbekov/thanks"
    assert page.locator("a.share-tg").count() == 1
    body = db.session.scalar(select(OutboxMessage.body_text))
    db.session.rollback()
    page.goto(live_server + re.search(r"/confirm/\S+", body).group(0))
    assert "Kazakhstan: release journalist" in page.content()  # the confirm page names the appeal
    click_and_load(page, "button:text('Confirm my signature')")
    assert "your signature is confirmed" in page.content()
    for channel, host in (("tg", "t.me"), ("wa", "wa.me"), ("fb", "www.facebook.com"),
                          ("x", "x.com"), ("vk", "vk.com")):
        href = page.locator(f"a.share-{channel}").get_attribute("href")
        assert urlsplit(href).hostname == host and f"ref%3D{channel}" in href, href
    assert page.locator("a.share-email").get_attribute("href").startswith("mailto:?subject=")
    copy = page.locator("#share-url")
    assert copy.get_attribute("readonly") is not None and copy.input_value().endswith("?ref=link")
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}, requested
    assert db.session.scalar(select(ShareCount.confirmed_count).where(ShareCount.channel == "tg")) == 1


def test_preview_image_is_a_valid_1200x630_png(live_server, browser_page, db):
    page, requested = browser_page
    _campaign(db)
    response = page.goto(live_server + "/a/batyrbekov/preview.png")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.body()))
    image.verify()
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}


def test_on_a_desktop_the_case_starts_beside_the_sign_form_without_a_blank_gap(
        live_server, browser_page, db):
    """Without a photo the first column is short; the case follows it at once instead of
    waiting below the (taller) sign form and leaving a screen of empty space."""
    page, _requested = browser_page
    make_appeal(slug="no-photo", group=make_group(), body_md="The case, at length.\n\n" * 60)
    db.session.rollback()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/a/no-photo")
    intro = page.locator(".appeal-intro").bounding_box()
    case = page.locator(".appeal-case").bounding_box()
    form = page.locator("#sign").bounding_box()
    assert case["x"] + case["width"] < form["x"]  # the case stays in the first column
    assert case["y"] < form["y"] + form["height"]  # and starts beside the form, not below it
    assert case["y"] - (intro["y"] + intro["height"]) < 40


def test_on_a_phone_the_sign_form_comes_before_the_case(live_server, browser_page, db):
    page, _requested = browser_page  # 390x844
    make_appeal(slug="no-photo", group=make_group(), body_md="The case, at length.\n\n" * 60)
    db.session.rollback()
    page.goto(live_server + "/a/no-photo")
    form, case = page.locator("#sign").bounding_box(), page.locator(".appeal-case").bounding_box()
    assert form["y"] + form["height"] <= case["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_statement_checkboxes_stand_before_their_words_like_the_appeals(live_server, browser_page, db):
    """A consent checkbox trailed five lines of bold text on a phone, easy to miss; it now comes
    first on its line, as on the appeal's sign form, and errors still name it."""
    from tests.statements.helpers import make_statement

    page, _requested = browser_page
    make_statement(allow_individuals=True)
    db.session.rollback()
    page.goto(live_server + "/statements/batyrbekov-sign-on")
    for box_id in ("anonymous", "consent", "cosign-consent"):
        box = page.locator(f"input#{box_id}")
        words = page.locator(f"label:has(input#{box_id})")
        assert box.bounding_box()["x"] - words.bounding_box()["x"] < 6, box_id  # 4 px: its margin
        assert words.evaluate("e => getComputedStyle(e).fontWeight") == "400", box_id
    # Both forms had id="country", "consent", "website": the co-sign form's labels ticked and
    # focused the organisation form's fields.
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    page.click("label[for=cosign-consent]")
    assert page.is_checked("#cosign-consent") and not page.is_checked("#consent")
