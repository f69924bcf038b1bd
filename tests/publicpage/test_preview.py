"""Link previews: Open Graph and Twitter Card tags, and the 1200x630 card drawn on the server."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

from PIL import Image

from app.models import Appeal
from app.publicpage.preview import _cache_dir
from tests.builders import make_appeal
from tests.publicpage.helpers import jpeg_with_gps, upload_page


def _meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)"', html))


def test_open_graph_and_twitter_tags_use_absolute_urls_from_base_url(client, db, app):
    make_appeal(slug="batyrbekov", title="Release Batyrbekov")
    meta = _meta(client.get("/a/batyrbekov", headers={"Host": "evil.example"}).get_data(as_text=True))
    base = app.config["BASE_URL"]
    assert meta["og:title"] == meta["twitter:title"] == "Release Batyrbekov"
    assert meta["og:url"] == f"{base}/a/batyrbekov"
    assert meta["og:image"] == meta["twitter:image"] == f"{base}/a/batyrbekov/preview.png?lang=en"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:description"] == "A journalist is on trial."
    assert all(urlsplit(meta[k]).scheme in ("http", "https") for k in ("og:url", "og:image"))


def test_preview_is_a_1200x630_png_with_the_photo_and_is_cached(client, login, db, app):
    appeal = make_appeal(slug="batyrbekov", title="Освободите Амангельды Батырбекова")
    login()
    upload_page(client, "batyrbekov", photo=jpeg_with_gps())
    with app.app_context():  # a visitor: a fresh client and `g`
        anonymous = app.test_client()
        response = anonymous.get("/a/batyrbekov/preview.png")
        again = anonymous.get("/a/batyrbekov/preview.png").data
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "public" in response.headers["Cache-Control"]
    card = Image.open(io.BytesIO(response.data))
    assert (card.format, card.size) == ("PNG", (1200, 630))
    assert card.convert("RGB").getpixel((100, 300))[:3] != (251, 250, 248)  # the photo is on the left
    cached = list(_cache_dir().glob(f"{appeal.id}-en-*.png"))
    assert len(cached) == 1
    assert again == response.data


def test_new_count_redraws_the_card_only_after_the_refresh_interval(client, db, app):
    appeal = make_appeal(slug="batyrbekov")
    first = client.get("/a/batyrbekov/preview.png").data
    db.session.get(Appeal, appeal.id).confirmed_count = 41
    db.session.commit()
    assert client.get("/a/batyrbekov/preview.png").data == first  # within the interval
    saved, app.config["PREVIEW_REFRESH_S"] = app.config["PREVIEW_REFRESH_S"], 0
    try:
        redrawn = client.get("/a/batyrbekov/preview.png").data
    finally:
        app.config["PREVIEW_REFRESH_S"] = saved
    assert redrawn != first
    assert [p.name for p in _cache_dir().glob(f"{appeal.id}-en-*.png")][0].endswith("-41.png")


def test_preview_of_a_draft_is_not_found(client, db):
    make_appeal(slug="draft", state="draft")
    assert client.get("/a/draft/preview.png").status_code == 404
