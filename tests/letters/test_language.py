"""A letter is in one language: the frame and the appeal's text agree (read back with pdftotext)."""

from __future__ import annotations

import re
import zipfile
from datetime import date

import pytest

from app.delivery.channels import mailto_link
from app.delivery.letters import supporter_letter, supporter_letter_pdf
from app.extensions import db
from app.letters.printing import print_batch, print_plan
from app.letters.service import (
    LanguageNotAvailable,
    appeal_view,
    letter_language,
    recipient_letter_pdf,
    signer_letter_email,
)
from app.models import CasePerson, Charge, Demand
from tests.builders import make_appeal, make_group, make_post
from tests.letters.helpers import add_signature, pdftotext, translate

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
RUSSIAN_FRAME = ("С уважением", "Наш номер", "Дата", "Приложение", "Копия", "Тема", "ФАКС",
                 "Подтверждённых подписей", "Источники", "журналист", "находится")
ENGLISH_FRAME = ("Yours sincerely", "Our reference", "Date", "Annex", "Cc", "Subject", "FAX",
                 "Confirmed signatures", "Sources", "journalist", "We urge", "Dear")
ENGLISH_TEXT = ("Free the journalist", "A journalist is on trial", "Release him", "the Minister",
                "Release of Amangeldy Batyrbekov", "defamation", "Criminal Code")


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text))


@pytest.fixture
def case(db):
    """An English appeal with a person, a charge, two demands, a named signer and a Cc post, to
    posts and a group written in Cyrillic (so any Latin word in a Russian letter is a defect)."""
    group = make_group(name="Фонд «Адил Соз»")
    group.postal_address = "пр. Абая 1\nАлматы 050000"
    to = make_post(slug="kz-minister", label="Министр информации", holder="Даурен Абаев",
                   salutation="Уважаемый господин министр",
                   contacts=[("fax", "+77172740000"), ("address", "Мәңгілік Ел 8\nАстана 010000")])
    to.organization.name = "Министерство информации"
    cc = make_post(slug="kz-prosecutor", label="Генеральный прокурор", holder="Гизат Нурдаулетов",
                   salutation="Уважаемый господин Генеральный прокурор",
                   contacts=[("address", "Мәңгілік Ел 14\nАстана 010000")])
    cc.organization.name = "Генеральная прокуратура"
    for post in (to, cc):
        post.preferred_language = "ru"
    appeal = make_appeal(posts=[to, cc], group=group)
    appeal.recipients[1].role = "cc"
    appeal.letter_subject = "Release of Amangeldy Batyrbekov"
    appeal.court = "Saryagash District Court"
    person = CasePerson(name="Amangeldy Batyrbekov", role="journalist", status="imprisoned")
    appeal.people.append(person)
    appeal.charges.append(Charge(person=person, code="Criminal Code", article="130",
                                 label="defamation"))
    appeal.demands.append(Demand(number=2, authority="the Prosecutor", text="Drop the charges."))
    db.session.commit()
    add_signature(appeal, name="Әлия Нұрғалиқызы", email="a@example.org", country="KZ", city="Алматы")
    return appeal, to, cc


RUSSIAN = {
    "title": "Освободить журналиста",
    "summary": "Журналист находится под судом.",
    "subject": "Об освобождении Амангельды Батырбекова",
    "court": "Сарыагашский районный суд",
    "people": [{"name": "Амангельды Батырбеков"}],
    "charges": {"130": {"code": "УК РК", "article": "ст. 130", "label": "клевета"}},
    "demands": {"1": {"authority": "Министру информации", "text": "Освободить его."},
                "2": {"authority": "Генеральному прокурору", "text": "Прекратить уголовное дело."}},
}


def test_letter_to_a_post_preferring_russian_is_all_english_without_a_translation(case):
    appeal, to, _cc = case
    text = pdftotext(recipient_letter_pdf(appeal, to, on=date(2019, 11, 1)))
    assert letter_language(appeal, to) == "en"
    for english in ("Yours sincerely", "Our reference", "1 November 2019", "Release of Amangeldy",
                    "Release him.", "Drop the charges.", "Article 130 of the Criminal Code (defamation)",
                    "Annex: signatories", "Kazakhstan (1)"):
        assert english in text
    assert not [word for word in RUSSIAN_FRAME if word in text]
    assert "ноября" not in text and "Казахстан" not in text


def test_letter_to_a_post_preferring_russian_is_all_russian_with_a_translation(case):
    appeal, to, _cc = case
    translate(appeal, **RUSSIAN)
    assert letter_language(appeal, to) == "ru"
    text = " ".join(pdftotext(recipient_letter_pdf(appeal, to, on=date(2019, 11, 1))).split())
    for russian in ("Об освобождении Амангельды Батырбекова", "Журналист находится под судом.",
                    "Освободить его.", "Прекратить уголовное дело.", "Просим Вас",
                    "Амангельды Батырбеков: в заключении",
                    "Сарыагашский районный суд", "УК РК, статья 130 (клевета)", "С уважением,",
                    "1 ноября 2019", "Копия:", "Приложение: подписавшие", "Казахстан (1)"):
        assert russian in text
    # Nothing English is left: the only Latin letters are the reference (the appeal's slug).
    assert latin_words(text) <= {"TEST", "APPEAL"}, latin_words(text)


def test_a_partial_translation_is_not_used_for_the_posts_preference(case):
    appeal, to, _cc = case
    partial = {**RUSSIAN, "demands": {"1": RUSSIAN["demands"]["1"]}}  # demand 2 untranslated
    translate(appeal, **partial)
    assert letter_language(appeal, to) == "en"
    text = pdftotext(recipient_letter_pdf(appeal, to))
    assert "Yours sincerely" in text and "Release him." in text and "Drop the charges." in text
    assert not [word for word in (*RUSSIAN_FRAME, "Освободить", "Журналист") if word in text]


def test_explicit_language_wins_over_the_post_and_the_translation(case):
    appeal, to, _cc = case
    english = pdftotext(recipient_letter_pdf(appeal, to, language="en"))
    translate(appeal, **RUSSIAN)
    english_again = pdftotext(recipient_letter_pdf(appeal, to, language="en"))
    for text in (english, english_again):
        assert "Yours sincerely" in text and "Release him." in text and "С уважением" not in text
    # The coordinator asks for Russian where there is no translation: refused, never mixed.
    appeal.translations = None
    db.session.commit()
    with pytest.raises(LanguageNotAvailable, match="no complete text in 'ru'"):
        recipient_letter_pdf(appeal, to, language="ru")


def test_coordinator_route_language_parameter_wins(client, case, login):
    appeal, to, _cc = case
    translate(appeal, **RUSSIAN)
    login()
    url = f"/coordinator/letters/{appeal.slug}/to/{to.slug}.pdf"
    assert "С уважением" in pdftotext(client.get(url).data)
    text = pdftotext(client.get(url + "?language=en").data)
    assert "Yours sincerely" in text and "Release him." in text and "Освободить" not in text


def test_kazakh_post_gets_the_russian_text_when_there_is_no_kazakh_one(case):
    appeal, to, _cc = case
    to.preferred_language = "kk"
    db.session.commit()
    assert letter_language(appeal, to) == "en"
    translate(appeal, **RUSSIAN)
    assert letter_language(appeal, to) == "ru"
    text = pdftotext(recipient_letter_pdf(appeal, to, on=date(2019, 11, 1)))
    assert "Освободить его." in text and "1 ноября 2019" in text and "Release him." not in text
    translate(appeal, "kk", **{**RUSSIAN, "title": "Журналисті босату"})
    assert letter_language(appeal, to) == "kk"
    assert appeal_view(appeal, "kk").title == "Журналисті босату"


def test_explicit_kazakh_takes_the_russian_translation(case):
    appeal, _to, _cc = case
    translate(appeal, **RUSSIAN)
    view = appeal_view(appeal, "kk")
    assert view.subject == RUSSIAN["subject"] and view.demands[1].text == "Прекратить уголовное дело."


def test_court_names_and_charges_fall_back_to_the_appeal_field_by_field(case):
    appeal, _to, _cc = case
    appeal.translations = {"ru": {k: v for k, v in RUSSIAN.items()
                                  if k not in ("court", "people", "charges", "subject")}}
    db.session.commit()
    view = appeal_view(appeal, "ru")
    assert view.court == "Saryagash District Court"
    assert view.people[0].name == "Amangeldy Batyrbekov" and view.people[0].role == "журналист"
    assert view.charges == ("Criminal Code, статья 130 (defamation)",)
    assert view.subject == RUSSIAN["title"]  # the translated title, never the English subject
    assert [d.authority for d in view.demands] == ["Министру информации", "Генеральному прокурору"]


def test_coordinator_body_is_not_used_under_a_translation(case):
    appeal, to, _cc = case
    appeal.letter_body = "<p>Our own English words about {{ appeal.title }}.</p>"
    translate(appeal, **RUSSIAN)
    russian = pdftotext(recipient_letter_pdf(appeal, to))
    assert "Our own English words" not in russian and "Просим Вас" in russian
    english = pdftotext(recipient_letter_pdf(appeal, to, language="en"))
    assert "Our own English words about Free the journalist." in english


def test_batch_and_fax_cover_follow_each_posts_language(case, tmp_path):
    appeal, to, cc = case
    to.contacts = [c for c in to.contacts if c.type == "fax"]  # faxed by staff: a cover sheet
    english_post = make_post(slug="un-rapporteur", label="Special Rapporteur", holder="Irene Khan",
                             salutation="Dear Special Rapporteur",
                             contacts=[("address", "Palais des Nations\nGeneva")])
    appeal.recipients.append(type(appeal.recipients[0])(post=english_post, role="to", position=2))
    translate(appeal, **RUSSIAN)
    units = {u.recipient.slug: u for u in print_plan(appeal).units}
    assert {slug: u.language for slug, u in units.items()} == {
        "kz-minister": "ru", "kz-prosecutor": "ru", "un-rapporteur": "en"}
    result = print_batch(appeal, tmp_path, on=date(2019, 11, 1))
    with zipfile.ZipFile(result.zip_path) as archive:
        letter = pdftotext(archive.read("kz-minister.pdf"))
        rapporteur = pdftotext(archive.read("un-rapporteur.pdf"))
    pages = pdftotext(result.pdf_path.read_bytes()).split("\f")
    cover = next(page for page in pages if "ФАКС" in page or "FAX" in page)
    assert "ФАКС" in cover and "Об освобождении Амангельды Батырбекова" in cover
    assert latin_words(cover) <= {"TEST", "APPEAL"}, latin_words(cover)
    assert "Освободить его." in letter and "Release him." not in letter
    assert "Release him." in rapporteur and "Yours sincerely" in rapporteur
    assert "Освободить" not in rapporteur and "С уважением" not in rapporteur


def test_supporters_letters_follow_the_same_rule(client, case):
    appeal, to, _cc = case
    signer = add_signature(appeal, name="Ann Lee", email="ann@example.org", message="Free him.")
    generic = supporter_letter(appeal, to)
    assert "A supporter" in generic.text and "Release him." in generic.text
    assert generic.subject == "Release of Amangeldy Batyrbekov"
    translate(appeal, **RUSSIAN)
    generic = supporter_letter(appeal, to)
    assert generic.subject == RUSSIAN["subject"]
    assert "Сторонник кампании" in generic.text and "Освободить его." in generic.text
    assert "Release him." not in generic.text and "A supporter" not in generic.text
    pdf = pdftotext(supporter_letter_pdf(appeal, to))
    assert "Сторонник кампании" in pdf and "Освободить его." in pdf
    subject, text, _html = signer_letter_email(signer, to)
    assert subject == RUSSIAN["subject"] and "«Освободить журналиста»" in text
    assert "Ann Lee" in text and "Free him." in text and "Release him." not in text
    page = client.get(f"/a/{appeal.slug}/write?to={to.id}").get_data(as_text=True)
    assert "Освободить его." in page and "Release him." not in page


def test_a_shortened_mailto_note_is_in_the_letters_language():
    body = "Освободите журналиста немедленно. " * 200
    url, shortened = mailto_link("m@gov.kz", "Тема", body, max_length=2000, full_text_url="u",
                                 language="ru")
    assert shortened and "%D0%9F%D0%BE%D0%BB%D0%BD%D1%8B%D0%B9" in url  # "Полный"
    assert "shortened" not in url


def test_letters_page_shows_each_letters_language(client, case, login):
    appeal, _to, _cc = case
    login()
    url = f"/coordinator/letters/{appeal.slug}/"
    page = client.get(url).get_data(as_text=True)
    assert re.findall(r'class="letter-language">(\w+)<', page) == ["en", "en"]
    assert "text is complete in: en." in page
    # A letter is offered only in a language the appeal's text is complete in.
    assert re.findall(r'class="language-link"[^>]*>(\w+)<', page) == ["EN", "EN"]
    translate(appeal, **RUSSIAN)
    page = client.get(url).get_data(as_text=True)
    assert re.findall(r'class="letter-language">(\w+)<', page) == ["ru", "ru"]
    assert "text is complete in: en, ru." in page
    assert re.findall(r'class="language-link"[^>]*>(\w+)<', page) == ["EN", "RU", "EN", "RU"]


def test_editor_preview_uses_the_appeals_text_in_the_previewed_language(client, db, login):
    from tests.conftest import csrf_token

    appeal = translate(make_appeal(posts=[]))  # no recipient: the editor's stand-in letter
    login()
    url = f"/coordinator/letters/{appeal.slug}/template"
    body = "<p>{{ appeal.title }} / {{ appeal.demands[0].text }}</p>"
    for language, expected in (("ru", "Освободить журналиста / Освободить его."),
                               ("en", "Free the journalist / Release him.")):
        token = csrf_token(client.get(url).get_data(as_text=True))
        page = client.post(url, data={"csrf_token": token, "language": language, "subject": "",
                                      "body": body, "preview": "Preview"}).get_data(as_text=True)
        assert f"<p>{expected}</p>" in page


def test_the_running_groups_name_follows_the_letters_language(db):
    from app.letters.service import letter_unit

    group = make_group(slug="adil-soz-en", name="Adil Soz Foundation")
    post = make_post(slug="kz-group-name")
    post.preferred_language = "ru"
    appeal = make_appeal(slug="group-name", posts=[post], group=group)
    appeal.translations = {"ru": {
        "title": "Освободить журналиста", "summary": "Журналист под судом.",
        "organisation": "Фонд «Адил соз»",
        "demands": {str(d.number): {"authority": "Министру", "text": "Освободить его."}
                    for d in appeal.demands}}}
    db.session.commit()
    assert letter_unit(appeal, post).organisation.name == "Фонд «Адил соз»"
    assert letter_unit(appeal, post, language="en").organisation.name == "Adil Soz Foundation"


def test_a_salutation_the_directory_has_not_translated_gives_the_neutral_one_of_the_letter(db):
    """Base fields are English: a Russian letter never opens with an English salutation."""
    from app.directory.translations import recipient_text

    post = make_post(salutation="Dear Minister")
    assert recipient_text(post, None, "en").salutation == "Dear Minister"
    assert recipient_text(post, None, "ru").salutation is None
    post.translations = {"ru": {"salutation": "Уважаемый господин министр"}}
    assert recipient_text(post, None, "kk").salutation == "Уважаемый господин министр"


def test_letters_page_names_roles_and_routes_in_the_coordinators_language(client, case, login):
    """Role, route and the print batch's channels were codes ("to", "post") on Russian pages."""
    appeal, _to, _cc = case
    login()
    page = client.get(f"/coordinator/letters/{appeal.slug}/?lang=ru").get_data(as_text=True)
    assert re.findall(r'<td class="role">([^<]+)<', page) == ["Кому", "Копия"]
    assert re.findall(r'<td class="route">([^<]+)<', page) == ["почта", "почта"]
    assert "Способ отправки — почта:" in page
