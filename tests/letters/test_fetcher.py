"""WeasyPrint reads bundled letter assets only: no files elsewhere, no network."""

from __future__ import annotations

import base64

import pytest

from app.letters.fetcher import ASSET_BASE_URL, DATA_URL_MAX_BYTES, AssetRefused, asset_fetcher
from app.letters.render import LetterRenderError, render_document


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:9/logo.png",
    "https://example.org/font.ttf",
    "ftp://example.org/x.css",
    ASSET_BASE_URL + "fonts/../../app/config.py",
    ASSET_BASE_URL + "layout/letter.html",
    ASSET_BASE_URL + "fonts/LICENSE-DejaVu.txt",
    "file://evil.example/etc/passwd",
])
def test_fetcher_refuses_everything_but_bundled_assets(url):
    with pytest.raises(AssetRefused):
        asset_fetcher().fetch(url)


def test_fetcher_serves_bundled_fonts_and_css():
    font = asset_fetcher().fetch(ASSET_BASE_URL + "fonts/DejaVuSerif.ttf")
    assert font.read(4) == b"\x00\x01\x00\x00"
    assert asset_fetcher().fetch(ASSET_BASE_URL + "css/letter.css").content_type == "text/css"


def test_small_data_urls_pass_and_large_ones_are_refused():
    small = "data:text/plain;base64," + base64.b64encode(b"hello").decode()
    assert asset_fetcher().fetch(small).read() == b"hello"
    large = "data:image/png;base64," + base64.b64encode(b"x" * (DATA_URL_MAX_BYTES + 1)).decode()
    with pytest.raises(AssetRefused):
        asset_fetcher().fetch(large)


@pytest.mark.parametrize("markup", [
    '<img src="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/pixel.png">',
    '<link rel="stylesheet" href="https://example.org/x.css">',
    '<p style="background: url(/etc/passwd)">x</p>',
])
def test_a_refused_fetch_stops_the_render_with_an_error(markup):
    with pytest.raises(LetterRenderError) as caught:
        render_document(f"<html><body>{markup}</body></html>")
    assert "not a letter asset" in str(caught.value)


ATTACHMENTS = ['<a rel="attachment" href="file:///etc/passwd">annex</a>',
               '<a rel="attachment" href="https://example.org/annex.pdf">annex</a>',
               '<a rel="attachment" href="../app/config.py">annex</a>']


@pytest.mark.parametrize("markup", ATTACHMENTS)
def test_an_attachment_link_to_a_file_is_refused_when_writing_the_pdf(markup):
    from app.letters.render import write_pdf

    document = render_document(f"<html><body>{markup}</body></html>")
    with pytest.raises(LetterRenderError) as caught:
        write_pdf(document)
    assert "not a letter asset" in str(caught.value)


def test_a_stored_body_with_an_attachment_gives_a_clear_refusal_not_a_500(client, db, login):
    from tests.letters.helpers import appeal_with_posts

    appeal = appeal_with_posts()
    appeal.letter_body = "<p>Text</p>" + ATTACHMENTS[0]
    db.session.commit()
    login()
    response = client.get("/coordinator/letters/test-appeal/to/kz-minister-information.pdf")
    assert response.status_code == 422
    assert "not a letter asset" in response.get_data(as_text=True)


def test_the_editor_refuses_a_body_with_an_attachment_link(client, db, login):
    from tests.conftest import csrf_token
    from tests.letters.helpers import appeal_with_posts

    appeal = appeal_with_posts()
    login()
    page = client.get("/coordinator/letters/test-appeal/template")
    response = client.post("/coordinator/letters/test-appeal/template", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "language": "en", "subject": "",
        "body": "<p>Text</p>" + ATTACHMENTS[0], "save": "Save"})
    assert response.status_code == 400
    assert "not a letter asset" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(appeal), appeal.id).letter_body is None
