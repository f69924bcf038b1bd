"""The supporter's own channels: mailto, PDF, web-form text; nothing while paused."""

from __future__ import annotations

import html
import io
import re
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader

from app.delivery.channels import mailto_link, signer_token
from app.delivery.letters import supporter_letter
from tests.builders import make_appeal, make_post
from tests.delivery.helpers import confirmed_signer


def _mailto(page: str) -> str:
    return html.unescape(re.search(r'href="(mailto:[^"]+)"', page).group(1))


def _decode(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    fields = dict(pair.split("=", 1) for pair in parts.query.split("&"))
    return {"to": unquote(parts.path), **{k: unquote(v) for k, v in fields.items()}}


def test_mailto_link_decoded_back_equals_the_letter(client, db):
    post = make_post(contacts=[("fax", "+77172720516"), ("email", "x@example.org")])
    appeal = make_appeal(posts=[post])
    page = client.get(f"/a/{appeal.slug}/write?to={post.id}").get_data(as_text=True)
    letter = supporter_letter(appeal, post)
    decoded = _decode(_mailto(page))
    assert decoded["to"] == "x@example.org"
    assert decoded["subject"] == letter.subject
    assert decoded["body"].replace("\r\n", "\n") == letter.text
    assert "\r\n" in decoded["body"]  # RFC 6068 line breaks
    assert "A supporter" in letter.text
    assert " " not in _mailto(page) and "\n" not in _mailto(page)


def test_long_letter_is_shortened_to_fit_a_mail_client_with_a_note():
    body = "Уважаемый господин министр,\n\n" + "Освободите журналиста немедленно. " * 200
    url, shortened = mailto_link("minister@gov.kz", "Свободу журналисту", body, max_length=2000,
                                 full_text_url="http://127.0.0.1:5000/a/x/write?to=1")
    assert shortened and len(url) <= 2000
    decoded = _decode(url)["body"].replace("\r\n", "\n")
    kept, note = decoded.split("\n\n[", 1)
    assert body.startswith(kept.removesuffix(" …"))
    assert "shortened" in note and "http://127.0.0.1:5000/a/x/write?to=1" in note
    short_url, short = mailto_link("m@gov.kz", "S", "Short.", max_length=2000, full_text_url="u")
    assert not short and _decode(short_url)["body"] == "Short."


def test_letter_pdf_download_is_a_generic_letter_without_personal_data(client, db):
    post = make_post(contacts=[("fax", "+77172720516"), ("email", "x@example.org")])
    appeal = make_appeal(posts=[post])
    confirmed_signer(appeal, name="Aigerim Sultanova", named=True)
    response = client.get(f"/a/{appeal.slug}/write/{post.id}/letter.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "A supporter" in text and "Aigerim" not in text


def test_confirmed_signer_link_gives_their_own_letter(client, db):
    post = make_post(contacts=[("email", "x@example.org"), ("address", "Mangilik El 8\nAstana")])
    appeal = make_appeal(posts=[post])
    signer = confirmed_signer(appeal, name="Aigerim Sultanova", named=True)
    token = signer_token(signer)
    response = client.get(f"/a/{appeal.slug}/write?s={token}")
    assert response.headers["Cache-Control"] == "private, no-store"
    page = response.get_data(as_text=True)
    assert "Aigerim Sultanova" in _decode(_mailto(page))["body"]
    pdf = client.get(f"/a/{appeal.slug}/write/{post.id}/letter.pdf?s={token}")
    assert "Aigerim" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.headers["Cache-Control"] == "private, no-store"
    # A forged or foreign token falls back to the generic letter.
    other = make_appeal(slug="other", posts=[make_post(slug="p2", contacts=[("email", "y@e.org")])])
    page = client.get(f"/a/{other.slug}/write?s={token}").get_data(as_text=True)
    assert "Aigerim" not in page
    assert "Aigerim" not in client.get(f"/a/{appeal.slug}/write?s={token}x").get_data(as_text=True)


def test_web_form_only_post_offers_text_to_copy_and_the_form_link(client, db):
    post = make_post(contacts=[("web", "https://gov.example.kz/appeal-form")])
    appeal = make_appeal(posts=[post])
    page = client.get(f"/a/{appeal.slug}/write").get_data(as_text=True)
    assert 'href="mailto:' not in page
    assert 'href="https://gov.example.kz/appeal-form"' in page
    textarea = re.search(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>", page, re.S).group(1)
    assert html.unescape(textarea) == supporter_letter(appeal, post).text
    assert "web form" in page
    # Nothing to print and post to an office that takes letters only through its form.
    assert 'id="pdf"' not in page and "To print and post" not in page
    assert client.get(f"/a/{appeal.slug}/write/{post.id}/letter.pdf").status_code == 404


def test_write_page_lists_officials_and_loads_nothing_from_elsewhere(client, db):
    first = make_post(contacts=[("email", "a@example.org")])
    second = make_post(slug="kz-prosecutor", label="Prosecutor General",
                       contacts=[("email", "b@example.org")])
    appeal = make_appeal(posts=[first, second])
    page = client.get(f"/a/{appeal.slug}/write").get_data(as_text=True)
    assert "Prosecutor General" in page and 'href="mailto:' not in page  # pick one first
    page = client.get(f"/a/{appeal.slug}/write?to={second.id}").get_data(as_text=True)
    assert _decode(_mailto(page))["to"] == "b@example.org"
    assert "<script" not in page and not re.search(r'(src|href)="https?://(?!gov)', page)
    assert f"/a/{appeal.slug}/write" in client.get(f"/a/{appeal.slug}").get_data(as_text=True)


def test_paused_appeal_offers_no_channel(client, db):
    post = make_post(contacts=[("email", "x@example.org")])
    appeal = make_appeal(posts=[post], state="paused", paused_notice="The family asked us to wait.")
    page = client.get(f"/a/{appeal.slug}/write?to={post.id}").get_data(as_text=True)
    assert "The family asked us to wait." in page
    assert "mailto:" not in page and "letter.pdf" not in page and "<textarea" not in page
    assert client.get(f"/a/{appeal.slug}/write/{post.id}/letter.pdf").status_code == 409
    assert "/write" not in client.get(f"/a/{appeal.slug}").get_data(as_text=True)


def test_draft_appeal_and_foreign_post_are_not_found(client, db):
    post = make_post(contacts=[("email", "x@example.org")])
    draft = make_appeal(posts=[post], state="draft")
    assert client.get(f"/a/{draft.slug}/write").status_code == 404
    appeal = make_appeal(slug="open-one", posts=[make_post(slug="p3")])
    assert client.get(f"/a/{appeal.slug}/write/{post.id}/letter.pdf").status_code == 404
