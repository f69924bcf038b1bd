"""The list of the undersigned: public page order, PDF letters, CSV and plain text; anonymity."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from pypdf import PdfReader
from sqlalchemy import select

from app.models import User, utcnow
from app.models.statement import Cosigner, OrgSignature
from app.statements import moderation, service
from tests.letters.helpers import pdftotext
from tests.statements.helpers import make_statement, sign_and_confirm

ORGS = [
    # (name, country, website, contact e-mail)
    ("Article 19", "GB", "article19.org", "info@article19.org"),
    ("Adil Soz", "KZ", "adilsoz.kz", "info@adilsoz.kz"),
    ("Kazakhstan International Bureau for Human Rights", "KZ", "bureau.kz", "office@bureau.kz"),
    ("Reporters Without Borders", "FR", "rsf.org", "rsf@rsf.org"),
    ("Index on Censorship", "GB", "indexoncensorship.org", "info@indexoncensorship.org"),
    ("Civil Rights Defenders", "SE", "crd.org", "info@crd.org"),
]


def approve_all(db, statement, login_user):
    for signature in db.session.scalars(select(OrgSignature).where(OrgSignature.status == "awaiting")):
        moderation.approve(signature, login_user)


def signed_statement(client, db, login, *, extra=(), anonymous_org=False):
    statement = make_statement()
    for name, country, website, email in [*ORGS, *extra]:
        sign_and_confirm(client, statement.slug, org_name=name, country=country,
                         org_website=website, contact_email=email)
    if anonymous_org:
        sign_and_confirm(client, statement.slug, org_name="Almaty Secret Media Watch", country="KZ",
                         org_website="secretwatch.kz", contact_email="w@secretwatch.kz", anonymous="y")
    user = login()
    approve_all(db, statement, db.session.get(User, user.id))
    return statement


def public_list(client, slug) -> str:
    html = client.get(f"/statements/{slug}").get_data(as_text=True)
    return html.split('id="undersigned"', 1)[1].split("</section>", 1)[0]


def test_public_list_is_grouped_by_country_name_then_alphabetical_with_the_count(client, db, login):
    statement = signed_statement(client, db, login)
    listed = public_list(client, statement.slug)
    order = [line for line in ("<h3>France</h3>", "Reporters Without Borders", "<h3>Kazakhstan</h3>",
                               "Adil Soz", "Kazakhstan International Bureau", "<h3>Sweden</h3>",
                               "Civil Rights Defenders", "<h3>United Kingdom</h3>", "Article 19",
                               "Index on Censorship")]
    positions = [listed.index(item) for item in order]
    assert positions == sorted(positions)
    assert '<span id="org-count">6</span> organisations' in listed


def test_pdf_letter_per_recipient_lists_the_undersigned_in_the_signature_block(client, db, login):
    statement = signed_statement(client, db, login)
    page = client.get(f"/coordinator/statements/{statement.slug}").get_data(as_text=True)
    links = [link for link in statement.recipients]
    assert len(links) == 2
    for link in links:
        assert f"/letters/{link.id}.pdf" in page
    to_link = next(link for link in links if link.role == "to")
    response = client.get(f"/coordinator/statements/{statement.slug}/letters/{to_link.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    assert "Dear Minister" in flat
    assert "The undersigned 6 freedom of expression" in flat
    assert "Adil Soz (Kazakhstan)" in flat
    assert "Article 19 (United Kingdom)" in flat
    assert "Cc" in flat and "General Prosecutor" in flat
    assert flat.index("Reporters Without Borders") < flat.index("Adil Soz") < flat.index("Article 19")

    cc_link = next(link for link in links if link.role == "cc")
    cc_pdf = client.get(f"/coordinator/statements/{statement.slug}/letters/{cc_link.id}.pdf")
    cc_text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(cc_pdf.data)).pages).split())
    assert "Dear Prosecutor General" in cc_text and "Adil Soz (Kazakhstan)" in cc_text


def test_anonymous_organisation_is_hidden_from_public_page_pdf_and_csv_but_shown_to_coordinator(
        client, db, login):
    statement = signed_statement(client, db, login, anonymous_org=True)
    listed = public_list(client, statement.slug)
    assert "Almaty Secret Media Watch" not in listed
    assert "An organisation in Kazakhstan" in listed
    assert '<span id="org-count">7</span>' in listed

    link = next(link for link in statement.recipients if link.role == "to")
    pdf = client.get(f"/coordinator/statements/{statement.slug}/letters/{link.id}.pdf").data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Secret" not in text and "secretwatch" not in text
    assert "An organisation in Kazakhstan" in text

    for suffix in ("undersigned.csv", "undersigned.txt"):
        export = client.get(f"/coordinator/statements/{statement.slug}/{suffix}").get_data(as_text=True)
        assert "Secret" not in export and "secretwatch" not in export
        assert "An organisation in Kazakhstan" in export

    coordinator = client.get(f"/coordinator/statements/{statement.slug}").get_data(as_text=True)
    assert "Almaty Secret Media Watch" in coordinator and "anonymous" in coordinator


def test_csv_is_safe_against_spreadsheet_formulas(client, db, login):
    statement = make_statement()
    # The form refuses a name starting like a formula; one stored by other means is neutralised.
    signature = sign_and_confirm(client, statement.slug)
    signature.org_name = '=HYPERLINK("http://evil.example","Click")'
    user = login()
    moderation.approve(signature, db.session.get(User, user.id))
    body = client.get(f"/coordinator/statements/{statement.slug}/undersigned.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["kind", "name", "country", "country_code", "website", "affiliation"]
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\",\"Click\")"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


def test_sign_form_refuses_an_organisation_name_starting_like_a_formula(client, db):
    from tests.statements.helpers import sign

    statement = make_statement()
    response = sign(client, statement.slug, org_name='=HYPERLINK("http://evil.example")')
    assert response.status_code == 400
    assert db.session.scalar(select(OrgSignature)) is None


def test_plain_text_for_a_press_release(client, db, login):
    statement = signed_statement(client, db, login)
    text = client.get(f"/coordinator/statements/{statement.slug}/undersigned.txt").get_data(as_text=True)
    assert "Signed by 6 organisations:" in text
    assert "\nKazakhstan\n- Adil Soz\n- Kazakhstan International Bureau for Human Rights\n" in text
    assert "<" not in text


def test_individuals_co_sign_when_allowed_and_are_listed_apart(client, db, login):
    from tests.conftest import csrf_token
    from tests.statements.helpers import last_body, link_path, press

    statement = make_statement(allow_individuals=True)
    html = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    response = client.post(f"/statements/{statement.slug}/cosign", data={
        "csrf_token": csrf_token(html), "name": "Evgeniy Zhovtis", "email": "ez@example.org",
        "country": "KZ", "affiliation": "Human rights defender", "consent": "y"})
    assert response.status_code == 303
    result = press(client, link_path(last_body("ez@example.org"), "cosign/confirm"))
    assert result.status_code == 200
    assert db.session.scalar(select(Cosigner.status)) == "confirmed"
    sign_and_confirm(client, statement.slug)
    user = login()
    approve_all(db, statement, db.session.get(User, user.id))

    html = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "Also signed by 1 individual" in html
    assert "<li>Evgeniy Zhovtis, Human rights defender</li>" in html
    link = next(link for link in statement.recipients if link.role == "to")
    pdf = client.get(f"/coordinator/statements/{statement.slug}/letters/{link.id}.pdf").data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Also signed by individuals" in text and "Evgeniy Zhovtis" in text
    assert "Adil Soz (Kazakhstan)" in text
    csv_body = client.get(f"/coordinator/statements/{statement.slug}/undersigned.csv").get_data(as_text=True)
    assert "individual,Evgeniy Zhovtis,Kazakhstan,KZ,,Human rights defender" in csv_body


def test_individuals_cannot_co_sign_when_not_allowed(client, db):
    from tests.conftest import csrf_token

    statement = make_statement(allow_individuals=False)
    html = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert 'action="/statements/' + statement.slug + '/cosign"' not in html
    response = client.post(f"/statements/{statement.slug}/cosign", data={
        "csrf_token": csrf_token(html), "name": "A", "email": "a@example.org", "country": "KZ",
        "consent": "y"})
    assert response.status_code == 409
    assert db.session.scalar(select(Cosigner)) is None


def test_close_due_closes_statements_past_their_deadline(db):
    past = make_statement(deadline=utcnow() - timedelta(hours=1))
    assert [s.slug for s in service.close_due()] == [past.slug]
    db.session.expire_all()
    assert past.state == "closed"


def test_individual_withdraws_with_the_link_in_the_confirmation_email(client, db):
    from tests.conftest import csrf_token
    from tests.statements.helpers import last_body, link_path, press

    statement = make_statement(allow_individuals=True)
    html = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    client.post(f"/statements/{statement.slug}/cosign", data={
        "csrf_token": csrf_token(html), "name": "Evgeniy Zhovtis", "email": "ez@example.org",
        "country": "KZ", "consent": "y"})
    body = last_body("ez@example.org")
    press(client, link_path(body, "cosign/confirm"))
    assert "Evgeniy Zhovtis" in client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    result = press(client, link_path(body, "cosign/withdraw"))
    assert result.status_code == 200
    assert "no longer listed" in result.get_data(as_text=True)
    assert "Evgeniy Zhovtis" not in client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(Cosigner.status)) == "withdrawn"


def test_statement_letter_stays_in_the_statements_language_for_a_russian_speaking_post(db):
    """The statement's text exists in its appeal's language only: a post preferring Russian,
    even for an appeal with a Russian translation, gets the whole letter in English."""
    from app.statements.letter import statement_unit

    statement = make_statement()
    appeal = statement.appeal
    appeal.translations = {"ru": {
        "title": "Освободить журналиста", "summary": "Журналист под судом.",
        "demands": {str(d.number): {"authority": "Министру", "text": "Освободить."}
                    for d in appeal.demands}}}
    link = next(link for link in statement.recipients if link.role == "to")
    link.post.preferred_language = "ru"
    db.session.commit()
    unit = statement_unit(statement, link)
    assert unit.language == "en"
    assert unit.appeal.title == appeal.title


def test_a_french_statement_letter_lists_individuals_under_a_french_heading(db):
    """The heading over co-signing individuals comes from the catalog in the letter's language
    (it was a literal, Russian or English only)."""
    from app.statements.letter import letter_pdf

    statement = make_statement(allow_individuals=True)
    statement.appeal.letter_language = "fr"
    db.session.add(Cosigner(statement=statement, name="Evgeniy Zhovtis", email_hash="h", country="KZ",
                            affiliation="Bureau kazakh", status="confirmed"))
    db.session.commit()
    link = next(link for link in statement.recipients if link.role == "to")
    pdf = letter_pdf(statement, link)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Également signé par des particuliers: Evgeniy Zhovtis, Bureau kazakh (Kazakhstan)" in text
    assert "Also signed" not in text


def test_a_statement_written_in_plain_paragraphs_keeps_them_in_its_letter(db):
    """The demo statement is plain text with blank lines between paragraphs; the letter ran it
    into one block (HTML ignores blank lines), while the public page showed the paragraphs."""
    from app.statements.letter import letter_pdf

    statement = make_statement()
    statement.text = ("The undersigned organisations call for his release.\n\n"
                      "In this spirit, we make the following recommendations:\n\n"
                      "To the General Prosecutor: 1. Decriminalise defamation.")
    db.session.commit()
    link = next(link for link in statement.recipients if link.role == "to")
    lines = [line.strip() for line in pdftotext(letter_pdf(statement, link)).splitlines()]
    # Each paragraph is lines of its own (these are short: one line each).
    assert "The undersigned organisations call for his release." in lines
    assert "In this spirit, we make the following recommendations:" in lines
    assert "To the General Prosecutor: 1. Decriminalise defamation." in lines
