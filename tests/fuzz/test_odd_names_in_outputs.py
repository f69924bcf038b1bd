"""Very long and odd Unicode names (RTL, combining marks, emoji) in CSV exports and PDF letters,
and line breaks in what becomes an e-mail subject."""

from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.models import OutboxMessage, Signature, utcnow
from app.signatures.identity import email_digest
from tests.builders import make_appeal, make_post
from tests.conftest import csrf_token

NAMES = [
    "مريم الحسيني",                      # Arabic, right to left
    "\u202eevil\u202c Override",         # an RTL override character inside a name
    "Z̴̢̛a̵̤͝l̶̞̈g̷̱̕o̸͙͋ Combining",            # stacked combining marks
    "👩🏽‍⚖️ Emoji Judge 🕊️",                  # emoji with skin tone and ZWJ sequences
    "Ерлан Қасымов",                      # Kazakh Cyrillic
    "=HYPERLINK(\"http://evil.example\")",  # a formula
    "Ж" * 200,                            # as long as the form allows
]


def _add(db, appeal, names, letter_inclusion="name_country"):
    for i, name in enumerate(names):
        email = f"odd{i}@example.org"
        db.session.add(Signature(appeal_id=appeal.id, name=name, email=email,
                                 email_hash=email_digest(email), country="KZ", status="confirmed",
                                 letter_inclusion=letter_inclusion, public_display="full",
                                 confirmed_at=utcnow()))
    appeal.confirmed_count = len(names)
    db.session.commit()


def test_csv_export_keeps_odd_names_whole_and_neutralises_formulas(client, db, login):
    login()
    appeal = make_appeal()
    _add(db, appeal, NAMES)
    html = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/signatures.csv",
                           data={"csrf_token": csrf_token(html)})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8"))))
    names = [row["name"] for row in rows]
    expected = ["'" + n if n.startswith("=") else n for n in NAMES]
    assert sorted(names) == sorted(expected)
    assert "email" not in rows[0]  # no addresses unless asked for


def test_public_page_shows_odd_names_escaped(client, db):
    appeal = make_appeal()
    _add(db, appeal, NAMES + ["<script>alert(1)</script>"])
    html = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    assert "مريم الحسيني" in html and "Ерлан Қасымов" in html
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_letter_pdf_renders_odd_and_long_names(app, db):
    from app.letters.service import recipient_letter_pdf

    post = make_post(contacts=[("fax", "+77172740548")])
    appeal = make_appeal(posts=[post])
    _add(db, appeal, NAMES)
    pdf = recipient_letter_pdf(appeal, post)
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = re.sub(r"\s+", " ", text.decode("utf-8"))
    assert "Ерлан Қасымов" in text
    assert "Combining" in text and "Override" in text
    assert "Ж" * 50 in text.replace(" ", "")  # the long name wraps but is all there
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1


@pytest.mark.parametrize("title", ["Free him\r\nBcc: everyone@example.org", "Line\u2028separator"])
def test_appeal_title_with_a_line_break_never_reaches_an_email_header(client, db, title):
    appeal = make_appeal(title=title)
    html = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    response = client.post(f"/a/{appeal.slug}", data={
        "csrf_token": csrf_token(html), "name": "Aigerim", "email": "a@example.org",
        "country": "KZ", "recipients": re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)})
    assert response.status_code in (303, 400, 409), response.status_code
    for subject in db.session.scalars(select(OutboxMessage.subject)):
        assert "\n" not in subject and "\r" not in subject and "\u2028" not in subject
    if response.status_code != 303:
        assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
