"""Letters to one recipient and from one signer, read back from the PDF with pypdf."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.letters.service import (
    LettersNotAllowed,
    recipient_letter_pdf,
    render_letter,
    signer_letter_email,
    signer_letter_pdf,
)
from app.template_sandbox.environment import LetterTemplateError
from tests.builders import make_post
from tests.letters.helpers import (
    add_signature,
    appeal_with_posts,
    pdf_pages,
    post_with_two_holders,
    translate,
)

MM = 72 / 25.4


def test_letter_goes_to_the_holder_of_the_post_on_the_letter_date(db):
    post = post_with_two_holders()
    appeal = appeal_with_posts(posts=[post])
    before = pdf_pages(recipient_letter_pdf(appeal, post, on=date(2019, 5, 1)))[0]
    after = pdf_pages(recipient_letter_pdf(appeal, post, on=date(2019, 11, 1)))[0]
    assert "Zhakyp Asanov" in before and "Gizat Nurdauletov" not in before
    assert "Gizat Nurdauletov" in after and "Zhakyp Asanov" not in after
    assert "Dear Prosecutor General," in after
    assert "1 November 2019" in after


def test_each_post_gets_its_own_addressee_and_salutation(db):
    minister = make_post(contacts=[("address", "Mangilik El 8\nAstana")])
    judge = make_post(slug="kz-supreme-court", label="Chair of the Supreme Court",
                      holder="Aslambek Mergaliyev", salutation="Dear Chairman")
    appeal = appeal_with_posts(posts=[minister, judge])
    first = pdf_pages(recipient_letter_pdf(appeal, minister))[0]
    second = pdf_pages(recipient_letter_pdf(appeal, judge))[0]
    assert "Dauren Abayev" in first and "Dear Minister," in first and "Mergaliyev" not in first
    assert "Aslambek Mergaliyev" in second and "Dear Chairman," in second and "Abayev" not in second


def _text_positions(data: bytes) -> list[tuple[str, float, float]]:
    """(text, x mm from the left edge, y mm from the top edge) of the first page's text runs."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    height = float(page.mediabox.height)
    runs = []

    def visit(text, cm, tm, _font, _size):  # noqa: ANN001
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return runs


def test_address_block_sits_in_the_window_of_a_din_5008_form_b_envelope(db):
    appeal = appeal_with_posts()
    data = recipient_letter_pdf(appeal, appeal.recipients[0].post)
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert round(float(page.mediabox.width) / MM) == 210 and round(float(page.mediabox.height) / MM) == 297
    runs = _text_positions(data)
    name = next(r for r in runs if r[0].startswith("Dauren Abayev"))
    last = next(r for r in runs if r[0].startswith("Astana 010000"))
    # Address field: 20 mm from the left, 85 mm wide; recipient zone 62.7-90 mm from the top.
    assert 24 <= name[1] <= 26
    assert 62.7 <= name[2] <= 70
    assert last[2] <= 90
    assert all(r[1] < 20 + 85 for r in runs if r[0] in ("Minister of Information",))


def test_cyrillic_and_kazakh_text_is_extracted_intact(db):
    kazakh = "Сөз бостандығын қорғау халықаралық қоры әғқңөұүһі"
    post = make_post(holder="Даурен Абаев", salutation="Уважаемый господин министр",
                     contacts=[("address", "Нұр-Сұлтан, Мәңгілік Ел, 8")])
    post.preferred_language = "ru"
    post.translations = {"ru": {"salutation": "Уважаемый господин министр"}}
    appeal = translate(appeal_with_posts(posts=[post]))
    appeal.group.name = kazakh
    add_signature(appeal, name="Әлия Нұрғалиқызы", email="a@example.org", country="KZ", city="Алматы")
    db.session.commit()
    text = "\n".join(pdf_pages(recipient_letter_pdf(appeal, post, on=date(2019, 11, 1))))
    for expected in (kazakh, "Даурен Абаев", "Нұр-Сұлтан, Мәңгілік Ел, 8", "Уважаемый господин министр,",
                     "С уважением,", "1 ноября 2019", "Казахстан (1): Әлия Нұрғалиқызы"):
        assert expected in text


def test_coordinator_language_parameter_overrides_the_post(db):
    post = make_post()
    post.preferred_language = "ru"
    appeal = translate(appeal_with_posts(posts=[post]))
    assert "С уважением" in pdf_pages(recipient_letter_pdf(appeal, post))[0]
    assert "Yours sincerely" in pdf_pages(recipient_letter_pdf(appeal, post, language="en"))[0]


def test_count_only_signer_is_counted_but_never_named(db):
    appeal = appeal_with_posts()
    add_signature(appeal, name="Named Supporter", email="n@example.org")
    add_signature(appeal, name="Quiet Supporter", email="q@example.org", inclusion="count_only")
    add_signature(appeal, name="Pending Supporter", email="p@example.org", status="pending")
    text = "\n".join(pdf_pages(recipient_letter_pdf(appeal, appeal.recipients[0].post)))
    assert "Germany (1): Named Supporter" in text and "Berlin" not in text
    assert "Quiet Supporter" not in text and "Pending Supporter" not in text
    assert "Confirmed signatures: 2." in text


def test_page_numbers_read_page_of_pages(db):
    appeal = appeal_with_posts()
    for number in range(60):
        add_signature(appeal, name=f"Supporter Number{number:03d} Longname", email=f"{number}@example.org")
    pages = pdf_pages(recipient_letter_pdf(appeal, appeal.recipients[0].post))
    assert len(pages) >= 2
    for index, text in enumerate(pages, start=1):
        assert f"{index} / {len(pages)}" in text


@pytest.mark.parametrize("state", ["paused", "draft"])
def test_letters_of_a_paused_or_draft_appeal_are_refused(db, state):
    appeal = appeal_with_posts(state=state)
    with pytest.raises(LettersNotAllowed, match=f"is {state}"):
        recipient_letter_pdf(appeal, appeal.recipients[0].post)


def test_signer_letter_has_the_name_and_message_as_text(db):
    appeal = appeal_with_posts()
    signature = add_signature(appeal, name='<img src="file:///etc/passwd">', email="x@example.org",
                              message="Free him now.\n<script>alert(1)</script>")
    text = "\n".join(pdf_pages(signer_letter_pdf(signature, appeal.recipients[0].post)))
    assert '<img src="file:///etc/passwd">' in text
    assert "<script>alert(1)</script>" in text
    assert "Annex" not in text


def test_signer_email_has_text_and_html_parts_from_the_same_template(db):
    appeal = appeal_with_posts()
    signature = add_signature(appeal, name="Ann <b>Lee</b>", email="x@example.org",
                              message="Please act.")
    subject, text, html = signer_letter_email(signature, appeal.recipients[0].post)
    assert subject == "Release Amangeldy Batyrbekov"
    assert "Dear Minister," in text and "Please act." in text and "Ann <b>Lee</b>" in text
    assert "Ann &lt;b&gt;Lee&lt;/b&gt;" in html and "<b>Lee" not in html


def test_coordinator_body_template_is_used_and_errors_name_the_line(db):
    appeal = appeal_with_posts()
    appeal.letter_body = "<p>Custom body for {{ holder.name }} of {{ post.label }}.</p>"
    db.session.commit()
    assert "Custom body for Dauren Abayev of Minister of Information." in pdf_pages(
        recipient_letter_pdf(appeal, appeal.recipients[0].post))[0]
    appeal.letter_body = "<p>ok</p>\n{{ holder.name.__class__ }}"
    with pytest.raises(LetterTemplateError) as caught:
        recipient_letter_pdf(appeal, appeal.recipients[0].post)
    assert caught.value.line == 2


def test_statement_letter_lists_the_undersigned_organisations(db):
    appeal = appeal_with_posts()
    pdf = render_letter(appeal, appeal.recipients[0].post,
                        undersigned=[("Adil Soz", "KZ"), ("PEN", "GB")],
                        body_source="<p>The undersigned organisations call for {{ appeal.title }}.</p>")
    text = "\n".join(pdf_pages(pdf))
    assert "The undersigned organisations call for Free the journalist." in text
    assert "Adil Soz (Kazakhstan)" in text and "PEN (United Kingdom)" in text


def test_a_long_address_still_fits_the_envelope_window(db):
    post = make_post(label="Minister of Culture and Information of the Republic of Kazakhstan",
                     contacts=[("address", "Mangilik El avenue, 8, House of Ministries, entrance 15\n"
                                           "010000 Astana\nKazakhstan")])
    post.organization.name = "Ministry of Culture and Information of the Republic of Kazakhstan"
    appeal = appeal_with_posts(posts=[post])
    runs = _text_positions(recipient_letter_pdf(appeal, post))
    first = next(r for r in runs if r[0].startswith("Dauren Abayev"))
    last = next(r for r in runs if r[0] == "Kazakhstan")
    assert 45 <= first[2] and last[2] <= 90
    assert 24 <= first[1] <= 26
