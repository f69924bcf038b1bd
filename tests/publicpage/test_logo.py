"""The organisation's logo on the public pages: served from this host, referenced with the
organisation's name as alt text, and absent for an organisation without one."""

from __future__ import annotations

import io
import os
import re
import shutil

import pytest
from PIL import Image

from app.organisations.logo import normalise_logo
from tests.builders import make_appeal, make_group


def _png_logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 100), (20, 60, 140)).save(out, "PNG")
    return normalise_logo(out.getvalue())


def _group_with_logo(db, *, slug: str = "adil-soz", name: str = "Adil Soz"):
    group = make_group(slug=slug, name=name)
    group.logo_png = _png_logo()
    db.session.commit()
    return group


def _logo_src(html: str, name: str) -> str:
    match = re.search(rf'<img class="(?:org-)?logo" src="([^"]+)" alt="{re.escape(name)}">', html)
    assert match, f"no logo of {name}"
    return match.group(1).replace("&amp;", "&")


def test_logo_is_shown_on_about_and_appeal_pages_and_served_from_this_host(client, db):
    group = _group_with_logo(db)
    make_appeal(slug="open-one", group=group)
    src = _logo_src(client.get("/about").get_data(as_text=True), "Adil Soz")
    appeal_page = client.get("/a/open-one").get_data(as_text=True)
    assert _logo_src(appeal_page, "Adil Soz") == src and src.startswith("/org/adil-soz/logo.png?v=")
    run_by = appeal_page[appeal_page.index('class="meta run-by"'):]
    assert run_by.index('class="org-logo"') < run_by.index("Run by")

    response = client.get(src)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == group.logo_png and Image.open(io.BytesIO(response.data)).format == "PNG"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.cache_control.public and response.cache_control.max_age == 365 * 24 * 3600
    assert client.get(src, headers={"If-None-Match": response.get_etag()[0]}).status_code == 304
    stale = client.get("/org/adil-soz/logo.png?v=old")  # an old page's link: cached briefly
    assert stale.status_code == 200 and stale.cache_control.max_age == 300


def test_group_without_logo_shows_none(client, db):
    make_appeal(slug="open-one", group=make_group())
    for path in ("/about", "/contact", "/a/open-one"):
        html = client.get(path).get_data(as_text=True)
        assert "/org/" not in html and 'class="org-logo"' not in html
    assert client.get("/org/adil-soz/logo.png").status_code == 404


def test_logo_of_an_organisation_without_public_appeal_is_not_served(client, db):
    group = _group_with_logo(db, slug="secret", name="Secret Group")
    make_appeal(slug="draft-one", state="draft", posts=[], group=group)
    assert client.get("/org/secret/logo.png").status_code == 404
    assert client.get("/org/nobody/logo.png").status_code == 404


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium")
def test_logo_loads_in_chromium_from_this_host_only(db, live_server, browser_page):
    page, requested = browser_page
    make_appeal(slug="open-one", group=_group_with_logo(db))
    db.session.remove()
    for path in ("/a/open-one", "/about"):
        requested.clear()
        page.goto(live_server + path)
        assert page.get_by_role("img", name="Adil Soz").is_visible()
        assert any("/org/adil-soz/logo.png" in url for url in requested)
        assert all(url.startswith(live_server) for url in requested)
        if shots := os.environ.get("SCREENSHOT_DIR"):
            page.screenshot(path=f"{shots}/logo{path.replace('/', '-')}.png")


def test_coordinator_sees_the_logo_in_the_preview_of_a_first_draft(client, db, login):
    group = _group_with_logo(db, slug="secret", name="Secret Group")
    make_appeal(slug="draft-one", state="draft", posts=[], group=group)
    login(group=group)
    assert client.get("/org/secret/logo.png").status_code == 200
    login(email="other@example.org", group=make_group(slug="other", name="Other"))
    assert client.get("/org/secret/logo.png").status_code == 404
