"""A letter the office prints is one page: text that would push the closing onto page 2 is set
tighter (app/letters/render.py FIT_STEPS) so the closing, signature and Cc stay on page 1."""

from __future__ import annotations

from app.extensions import db
from app.letters.service import recipient_letter_pdf
from app.models import CasePerson, Charge
from tests.letters.helpers import add_signature, appeal_with_posts, pdftotext


def _appeal_with_people(count: int):
    appeal = appeal_with_posts()
    for n in range(1, count + 1):
        person = CasePerson(name=f"Person Number{n}", role="journalist", status="on_trial")
        appeal.people.append(person)
        db.session.flush()
        appeal.charges.append(Charge(
            person=person, code="Criminal Code of the Republic of Kazakhstan", article="274",
            label="dissemination of knowingly false information during a state of emergency"))
    db.session.commit()
    add_signature(appeal, name="Әлия Жұмабаева", email="a@example.org", country="KZ")
    return appeal


def test_a_letter_a_few_lines_too_long_keeps_its_closing_and_signature_on_page_one(db):
    appeal = _appeal_with_people(7)
    pages = pdftotext(recipient_letter_pdf(appeal, appeal.recipients[0].post)).split("\f")
    first = " ".join(pages[0].split())
    assert "Person Number7" in first
    assert "Yours sincerely" in first and "on behalf of one signatory" in first
    # The annex follows on its own page; nothing of the letter itself does.
    assert "Yours sincerely" not in " ".join(pages[1:])
    assert " ".join(pages[1].split()).startswith("Annex")


def test_one_named_signatory_is_counted_in_words_in_the_annex(db):
    """"Listed here: the 1 signatories" read wrong (and "les 1 signataires" in French)."""
    appeal = _appeal_with_people(1)
    annex = " ".join(pdftotext(recipient_letter_pdf(appeal, appeal.recipients[0].post))
                     .split("\f")[1].split())
    assert "Confirmed signatures: 1. Listed here: the one signatory who agreed to be named" in annex


def test_a_letter_that_fits_keeps_the_normal_type(db):
    """Only a letter that needs it is set tighter: a short one is laid out once, as before."""
    from app.letters import render

    calls = []
    original = render.render_document
    render.render_document = lambda html, **kw: calls.append(html) or original(html, **kw)
    try:
        appeal = _appeal_with_people(1)
        recipient_letter_pdf(appeal, appeal.recipients[0].post)
    finally:
        render.render_document = original
    assert len(calls) == 1 and "fit-" not in calls[0]
