"""Names print as written (issue 11, item 15): a right-to-left name does not reorder what follows
it, and emoji, symbols, CJK, Hangul and fullwidth forms print with the bundled fallback fonts."""

from __future__ import annotations

import subprocess

import pytest

from app.letters.service import letter_unit, unit_pdf
from app.letters.views import SignatoryView
from tests.letters.helpers import appeal_with_posts


def _annex_pdf(*names: str) -> bytes:
    appeal = appeal_with_posts()
    people = tuple(SignatoryView(name=name, city=None, country="IL", country_name="Israel")
                   for name in names)
    return unit_pdf(letter_unit(appeal, appeal.recipients[0].post, with_annex=True,
                                signatories=people))


def _visual_text(pdf: bytes) -> str:
    """The text in the order it is drawn, left to right (what a reader of the page sees)."""
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode("utf-8")


def _fonts(pdf: bytes, tmp_path) -> str:  # noqa: ANN001
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def test_a_right_to_left_name_does_not_reorder_the_name_after_it(db):
    text = _visual_text(_annex_pdf("דוד כהן", "(=1+2) Anna"))
    assert "(=1+2) Anna" in text
    assert "(1+2=)" not in text and "=1+2(" not in text


@pytest.mark.parametrize(("name", "font"), [
    ("Айгерим ❤ ✈", "Letter-Symbols"),
    ("ＡＢＣ Fullwidth", "Letter-CJK"),
    ("王小明", "Letter-CJK"),
    ("김민준", "Letter-CJK"),
])
def test_names_in_other_scripts_print_with_a_bundled_font(db, tmp_path, name, font):
    pdf = _annex_pdf(name)
    assert font in _fonts(pdf, tmp_path)
    assert name in _visual_text(pdf)


def test_the_annex_lists_names_in_the_alphabetical_order_of_the_letters_language(db):
    """A byte-wise sort put Әлия after Яна and Émile after Zoe (and differed between SQLite and
    PostgreSQL); Kazakh letters follow their base letters, accents sort with theirs."""
    from app.letters.service import recipient_letter_pdf
    from tests.letters.helpers import add_signature, pdftotext, translate

    appeal = translate(appeal_with_posts())
    for number, name in enumerate(["Яна Орлова", "Әлия Жұмабаева", "Zoe Hart", "Émile Roux",
                                   "Қайрат Нұров", "Анна Ким", "Ким Ли"]):
        add_signature(appeal, name=name, email=f"{number}@example.org", country="KZ")
    annex = " ".join(pdftotext(recipient_letter_pdf(appeal, appeal.recipients[0].post, language="ru"))
                     .split("\f")[1].split())
    assert ("Анна Ким · Әлия Жұмабаева · Ким Ли · Қайрат Нұров · Яна Орлова · Émile Roux · "
            "Zoe Hart") in annex
