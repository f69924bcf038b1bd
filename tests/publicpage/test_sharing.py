"""Share links after signing carry a channel code; the coordinator sees counts per channel."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select

from app.models import PendingShareReferral, ShareCount
from tests.builders import make_appeal
from tests.partners.helpers import confirm_latest
from tests.publicpage.helpers import sign_from


def _counts(db) -> dict[str, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(ShareCount.channel, ShareCount.confirmed_count)).all())


def test_referral_counts_increase_per_channel_once_confirmed(client, db):
    make_appeal(slug="batyrbekov")
    assert sign_from(client, "/a/batyrbekov?ref=tg").status_code == 303
    assert _counts(db) == {}  # not before confirmation
    confirm_latest(client)
    sign_from(client, "/a/batyrbekov?ref=tg", email="b@example.org")
    confirm_latest(client)
    sign_from(client, "/a/batyrbekov?ref=wa", email="c@example.org")
    confirm_latest(client)
    sign_from(client, "/a/batyrbekov", email="d@example.org")  # no channel: counted nowhere
    confirm_latest(client)
    assert _counts(db) == {"tg": 2, "wa": 1}
    # Counts, not tracking: once confirmed, nothing ties a person to a channel.
    assert db.session.scalar(select(func.count()).select_from(PendingShareReferral)) == 0


def test_unknown_or_oversized_ref_is_ignored_not_refused(client, db):
    make_appeal(slug="batyrbekov")
    page = client.get("/a/batyrbekov?ref=<script>").get_data(as_text=True)
    assert 'name="ref"' not in page and "<script>" not in page
    response = sign_from(client, "/a/batyrbekov", ref="x" * 500)
    assert response.status_code == 303
    confirm_latest(client)
    assert _counts(db) == {}


def test_coordinator_page_shows_counts_per_channel(client, login, db):
    make_appeal(slug="batyrbekov")
    sign_from(client, "/a/batyrbekov?ref=vk")
    confirm_latest(client)
    login()
    html = client.get("/coordinator/appeals/batyrbekov").get_data(as_text=True)
    counts = html[html.index('id="share-counts"'):]
    assert "<li>VK: <strong>1</strong></li>" in counts
    assert "<li>Telegram: <strong>0</strong></li>" in counts


def _share_links(html: str) -> dict[str, str]:
    return {channel: html_lib.unescape(href) for channel, href in
            re.findall(r'<a class="share-([a-z]+)" href="([^"]+)"', html)}


def test_thanks_page_offers_share_links_with_referral_codes(client, db, app):
    make_appeal(slug="batyrbekov", title="Release Batyrbekov")
    html = client.get(sign_from(client, "/a/batyrbekov").headers["Location"]).get_data(as_text=True)
    links = _share_links(html)
    assert set(links) == {"tg", "wa", "fb", "x", "vk", "email"}
    page = app.config["BASE_URL"] + "/a/batyrbekov"
    telegram = urlsplit(links["tg"])
    assert (telegram.scheme, telegram.netloc, telegram.path) == ("https", "t.me", "/share/url")
    assert parse_qs(telegram.query) == {"url": [page + "?ref=tg"], "text": ["Release Batyrbekov"]}
    assert parse_qs(urlsplit(links["wa"]).query)["text"] == [f"Release Batyrbekov {page}?ref=wa"]
    assert links["email"].startswith("mailto:?subject=Please%20sign%3A%20Release%20Batyrbekov&body=")
    assert f'value="{page}?ref=link" readonly' in html
    assert "Release Batyrbekov" in html  # the page names the appeal


def test_confirm_and_confirmed_pages_name_the_appeal_and_offer_sharing(client, db):
    make_appeal(slug="batyrbekov", title="Release Batyrbekov")
    sign_from(client, "/a/batyrbekov")
    from app.models import OutboxMessage

    body = db.session.scalar(select(OutboxMessage.body_text))
    token = re.search(r"/confirm/(\S+)", body).group(1)
    assert "You are signing: Release Batyrbekov" in client.get(f"/confirm/{token}").get_data(as_text=True)
    assert "You are signing" not in client.get("/confirm/not-a-token").get_data(as_text=True)
    db.session.rollback()
    confirm_latest(client)
    # confirm_latest asserts the 200; the confirmed page itself is checked in the browser test.


def test_page_cache_keeps_one_copy_per_channel(app, db):
    from app import pagecache

    make_appeal(slug="batyrbekov")
    app.config["PUBLIC_PAGE_CACHE_S"] = 60
    pagecache.clear()
    try:
        client = app.test_client()
        plain = client.get("/a/batyrbekov").get_data(as_text=True)
        telegram = client.get("/a/batyrbekov?ref=tg").get_data(as_text=True)
        again = client.get("/a/batyrbekov").get_data(as_text=True)
        whatsapp = client.get("/a/batyrbekov?ref=wa").get_data(as_text=True)
    finally:
        app.config["PUBLIC_PAGE_CACHE_S"] = 0
        pagecache.clear()
    assert 'name="ref"' not in plain and 'name="ref"' not in again
    assert 'name="ref" type="hidden" value="tg"' in telegram
    assert 'name="ref" type="hidden" value="wa"' in whatsapp
