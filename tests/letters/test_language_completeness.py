"""A letter is offered in a language only when everything it prints is translated (issue 14:
"the RU letter is a Russian frame around English text"); the coordinator's pages say what is
still missing."""

from __future__ import annotations

from html import unescape

from app.appeals.translations import available_languages, incomplete_languages
from app.letters.service import recipient_letter_pdf
from tests.letters.helpers import RU_CASE_CHARGES, RU_CASE_PEOPLE, translate
from tests.letters.test_letter_content import _kazakh_case, first_page

DEMANDS = {"1": {"authority": "Министру", "text": "Освободить его."},
           "2": {"authority": "Прокурору", "text": "Снять обвинения."}}
MISSING = "No letter in ru yet: translate the court, people's names, charges (code and label)"


def _started_in_russian():
    appeal, minister, _prosecutor, _canada = _kazakh_case()
    appeal.court = "Almaty City Court"
    return translate(appeal, demands=DEMANDS), minister


def test_a_translation_without_court_names_or_charges_gives_no_letter_and_says_why(db):
    appeal, _minister = _started_in_russian()
    assert available_languages(appeal) == ["en"]
    assert incomplete_languages(appeal) == {
        "ru": ["court", "people's names", "charges (code and label)"]}
    translate(appeal, demands=DEMANDS, court="Алматинский городской суд", people=RU_CASE_PEOPLE,
              charges={"274": RU_CASE_CHARGES["274"]})
    assert incomplete_languages(appeal) == {"ru": ["charges (code and label)"]}
    assert available_languages(appeal) == ["en"]


def test_a_complete_translation_gives_a_letter_without_english_court_or_charges(db):
    appeal, minister = _started_in_russian()
    translate(appeal, demands=DEMANDS, court="Алматинский городской суд", people=RU_CASE_PEOPLE,
              charges=RU_CASE_CHARGES)
    assert available_languages(appeal) == ["en", "ru"] and incomplete_languages(appeal) == {}
    text = first_page(recipient_letter_pdf(appeal, minister, language="ru"))
    assert "Статья 274 Уголовный кодекс Республики Казахстан" in text or "Уголовн" in text
    assert "Марат Турымбетов" in text and "Алматинский городской суд" in text
    for english in ("Criminal Code", "Almaty City Court", "Marat", "false information"):
        assert english not in text


def test_the_letters_page_the_request_editor_and_the_appeal_editor_say_what_is_missing(
        client, db, login):
    _started_in_russian()
    login()
    for url in ("/coordinator/letters/test-appeal/", "/coordinator/appeals/test-appeal/preview/letters"):
        html = unescape(client.get(url).get_data(as_text=True))
        assert MISSING in html, url
        assert "/test-appeal.pdf?language=ru" not in html and "language=ru\"" not in html
    html = unescape(client.get("/coordinator/letters/test-appeal/requests/ru").get_data(as_text=True))
    assert "Still to translate: court, people's names, charges (code and label)." in html
    ru_page = unescape(client.get("/coordinator/letters/test-appeal/", headers={
        "Accept-Language": "ru"}).get_data(as_text=True))
    assert "Письмо на ru пока не составляется" in ru_page
