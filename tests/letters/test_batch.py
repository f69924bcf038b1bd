"""The print batch: postal letters (and faxes staff send by hand, with a cover sheet), duplex-ready,
a ZIP of letters and labels for the postal ones; every other recipient skipped with its reason."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from app.letters.address import AddressDoesNotFit
from app.letters.printing import print_batch
from app.letters.service import LettersNotAllowed
from tests.builders import make_post
from tests.letters.helpers import add_signature, appeal_with_posts, pdf_file_pages, post_with_two_holders


def _three_posts():
    court = make_post(slug="kz-supreme-court", label="Chair of the Supreme Court", holder="Zhakip Asanov",
                      salutation="Dear Chairman", contacts=[("address", "Dostyk 13\nAstana 010000")])
    court.organization.name = "Supreme Court"
    minister = make_post(contacts=[("fax", "+77172740000")])  # no address: faxed by staff
    minister.organization.name = "Ministry of Information"
    prosecutor = post_with_two_holders()
    prosecutor.organization.name = "=General Prosecutor's Office"
    return [court, minister, prosecutor]


@pytest.fixture
def batch_appeal(db):
    appeal = appeal_with_posts(posts=_three_posts())
    for number in range(80):  # a two-page letter for everyone: annex on page 2
        add_signature(appeal, name=f"Supporter {number:02d}", email=f"{number}@example.org")
    add_signature(appeal, name="Count Only", email="c@example.org", inclusion="count_only")
    return appeal


def test_print_batch_is_in_recipient_order_duplex_ready_with_fax_covers_only_for_fax(batch_appeal,
                                                                                    tmp_path):
    result = print_batch(batch_appeal, tmp_path, on=date(2019, 11, 1))
    pages = pdf_file_pages(result.pdf_path)
    assert result.letters == 3 and result.fax_covers == 1
    assert len(pages) == result.pages and len(pages) % 2 == 0
    # Every letter and cover starts on an odd page (a new sheet when printed on both sides).
    starts = [i for i, text in enumerate(pages) if "Our reference" in text or "FAX" in text]
    assert all(i % 2 == 0 for i in starts), starts
    covers = [text for text in pages if "Fax number" in text]
    assert len(covers) == 1
    assert "+7 7172 74 00 00" in covers[0] and "Dauren Abayev" in covers[0] and "Adil Soz" in covers[0]
    assert "1 November 2019" in covers[0]
    # The sender's postal address: how the office that received the fax answers or reports a
    # missing page when the organisation has no e-mail.
    assert "Abay Ave 1" in covers[0] and "Almaty 050000" in covers[0]
    cover_index = pages.index(covers[0])
    assert "Dauren Abayev" in pages[cover_index + 2]  # the fax letter follows its cover's blank back
    # A fax machine reads one side of a sheet: each faxed page (letter, then its annex) has a
    # blank back, so the annex is not printed on the back of the letter and never faxed.
    assert pages[cover_index + 1].strip() == "" and pages[cover_index + 3].strip() == ""
    assert pages[cover_index + 4].startswith("Annex") and pages[cover_index + 5].strip() == ""
    # The one recipient order; the prosecutor's letter goes to the holder on that date.
    firsts = [pages[i] for i in starts if "Our reference" in pages[i]]
    assert "Supreme Court" in firsts[0] and "Ministry of Information" in firsts[1]
    assert "=General Prosecutor" in firsts[2] and "Gizat Nurdauletov" in firsts[2]
    assert all("Count Only" not in text for text in pages)
    assert result.summary.by_channel == {"post": ["Chair of the Supreme Court", "General Prosecutor"],
                                         "fax": ["Minister of Information"]}


def test_web_form_and_email_only_posts_are_skipped_with_their_reason(db, tmp_path):
    posts = [make_post(slug="postal", contacts=[("address", "Mangilik El 8\nAstana 010000")]),
             make_post(slug="state-dept", label="Secretary of State",
                       contacts=[("web", "https://www.state.gov/contact")]),
             make_post(slug="pace", label="President of PACE", contacts=[("email", "p@coe.example")]),
             make_post(slug="nothing", label="Secretary General", contacts=[])]
    result = print_batch(appeal_with_posts(posts=posts), tmp_path)
    assert result.letters == 1
    assert dict(result.summary.skipped) == {
        "Secretary of State": "reachable only through a web form: paste the text there",
        "President of PACE": "reachable only by e-mail: the letter goes to the outbox, not the "
                             "print batch",
        "Secretary General": "no contact detail at all"}
    rows = list(csv.DictReader(io.StringIO(result.labels_path.read_text("utf-8-sig"))))
    assert [row["recipient"] for row in rows] == ["postal"]
    assert all(row["channel"] == "post" for row in rows)


def test_a_post_the_service_emails_is_not_printed_as_well(db, tmp_path, app):
    from app.delivery.service import save_policy

    post = make_post(contacts=[("email", "minister@gov.example"), ("address", "Mangilik El 8")])
    appeal = appeal_with_posts(posts=[post])
    save_policy(appeal, send_email=True, send_fax=False, batching="daily",
                max_per_domain_per_hour=None)
    result = print_batch(appeal, tmp_path)
    assert result.letters == 0
    assert result.summary.skipped == [("Minister of Information",
                                       "the service sends it by e-mail (outbox)")]


def test_an_address_too_long_for_the_window_is_refused_naming_the_post(db, tmp_path):
    lines = "\n".join(f"Building {n}, floor {n}, the long corridor on the left" for n in range(9))
    post = make_post(label="Chair of the Committee on Legal Affairs", contacts=[("address", lines)])
    with pytest.raises(AddressDoesNotFit, match="Chair of the Committee on Legal Affairs"):
        print_batch(appeal_with_posts(posts=[post]), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_letter_with_odd_page_count_gets_a_blank_back(db, tmp_path):
    address = [("address", "Mangilik El 8\nAstana 010000")]
    appeal = appeal_with_posts(posts=[make_post(contacts=address),
                                      make_post(slug="second", label="Second post", contacts=address)])
    result = print_batch(appeal, tmp_path)
    assert result.letter_pages == [1, 1]
    pages = pdf_file_pages(result.pdf_path)
    assert len(pages) == 4 and pages[1].strip() == "" and pages[3].strip() == ""


def test_cover_sheet_counts_the_pages_it_announces(batch_appeal, tmp_path):
    result = print_batch(batch_appeal, tmp_path)
    pages = pdf_file_pages(result.pdf_path)
    cover = next(text for text in pages if "Fax number" in text)
    minister_pages = result.letter_pages[1]
    assert f"Pages (with this one) {minister_pages + 1}" in " ".join(cover.split())


def test_the_fax_cover_is_printed_in_black_only(batch_appeal, tmp_path):
    """A fax goes at 200 dpi in black and white: grey headings (#333) came out as dither dots."""
    import re

    result = print_batch(batch_appeal, tmp_path)
    reader = PdfReader(str(result.pdf_path))
    cover = next(page for page in reader.pages if "Fax number" in (page.extract_text() or ""))
    content = cover.get_contents().get_data().decode("latin-1")
    colours = set(re.findall(r"([\d.]+ [\d.]+ [\d.]+) (?:rg|RG)\b", content))
    assert colours and colours <= {"0 0 0"}, colours


def test_zip_has_one_pdf_per_recipient_named_by_post_slug(batch_appeal, tmp_path):
    result = print_batch(batch_appeal, tmp_path)
    with zipfile.ZipFile(result.zip_path) as archive:
        names = sorted(archive.namelist())
        assert names == ["kz-general-prosecutor.pdf", "kz-minister-information.pdf", "kz-supreme-court.pdf"]
        letter = PdfReader(io.BytesIO(archive.read("kz-supreme-court.pdf")))
        assert "Zhakip Asanov" in letter.pages[0].extract_text()
        assert "FAX" not in letter.pages[0].extract_text()


def test_address_labels_are_spreadsheet_safe(batch_appeal, tmp_path):
    result = print_batch(batch_appeal, tmp_path, on=date(2019, 11, 1))
    rows = list(csv.DictReader(io.StringIO(result.labels_path.read_text("utf-8-sig"))))
    prosecutor = next(row for row in rows if row["recipient"] == "kz-general-prosecutor")
    assert prosecutor["organisation"] == "'=General Prosecutor's Office"
    assert prosecutor["name"] == "Gizat Nurdauletov"
    assert prosecutor["line_1"] == "Mangilik El 14" and prosecutor["line_2"] == "Astana 010000"
    # The faxed letter has no label: labels are for envelopes.
    assert "kz-minister-information" not in {row["recipient"] for row in rows}


def test_print_batch_of_a_paused_appeal_is_refused_and_writes_nothing(db, tmp_path):
    appeal = appeal_with_posts(state="paused")
    with pytest.raises(LettersNotAllowed):
        print_batch(appeal, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def _akimat_appeal():
    posts = []
    for number in range(4):
        contacts = [("address", f"Street {number} <b>{number}</b>\nAstana 01000{number}")]
        if number == 2:
            contacts.insert(0, ("fax", "+77172740002"))
        posts.append(make_post(slug=f"akim-{number}", label=f"Akim of district {number}",
                               holder=f"Akim Holder{number}", org_slug="akimat",
                               salutation="Dear Akim", contacts=contacts))
    return appeal_with_posts(posts=posts)


def test_batch_letter_address_sits_in_the_envelope_window(db, tmp_path):
    from tests.letters.test_letters import MM

    result = print_batch(_akimat_appeal(), tmp_path)
    page = PdfReader(str(result.pdf_path)).pages[0]
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, _font, _size):  # noqa: ANN001
        if text.strip().startswith("Akim Holder0"):
            found.append(((tm[4] * cm[0] + cm[4]) / MM, (height - (tm[5] * cm[3] + cm[5])) / MM))

    page.extract_text(visitor_text=visit)
    assert found, "the address was not found on the first page"
    x, y = found[0]
    assert 24 <= x <= 26 and 62.7 <= y <= 70


def test_batch_letters_with_long_addresses_stay_in_the_window(db, tmp_path):
    from tests.letters.test_letters import MM

    posts = [make_post(slug=f"long-{n}", label="Minister of Culture and Information of the Republic",
                       holder=f"Long Holder{n}", org_slug="long-ministry",
                       contacts=[("address", f"Mangilik El avenue, {n}, House of Ministries, entrance 15"
                                             "\nAstana 010000\nKazakhstan")]) for n in range(3)]
    posts[0].organization.name = "Ministry of Culture and Information of the Republic of Kazakhstan"
    result = print_batch(appeal_with_posts(posts=posts), tmp_path)
    page = PdfReader(str(result.pdf_path)).pages[0]
    height = float(page.mediabox.height)
    positions = {}

    def visit(text, cm, tm, _font, _size):  # noqa: ANN001
        if text.strip():
            positions.setdefault(text.strip(), (height - (tm[5] * cm[3] + cm[5])) / MM)

    page.extract_text(visitor_text=visit)
    name = positions["Long Holder0"]
    country = positions["Kazakhstan"]
    return_line = next(y for text, y in positions.items() if text.startswith("Adil Soz ·"))
    assert 45 <= return_line < name < country <= 90


def test_template_error_reaches_the_caller_and_leaves_no_partial_files(batch_appeal, tmp_path):
    from app.template_sandbox.environment import LetterTemplateError

    batch_appeal.letter_body = "<p>fine</p>\n{{ holder.name.__class__ }}"
    with pytest.raises(LetterTemplateError) as caught:
        print_batch(batch_appeal, tmp_path)
    assert caught.value.line == 2 and "not allowed" in caught.value.message
    assert [p.name for p in tmp_path.iterdir()] == []
