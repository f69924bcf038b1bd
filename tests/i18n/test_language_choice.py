"""Choosing the page language: ?lang, the cookie, Accept-Language, the appeal's own language."""

from __future__ import annotations

import re
from datetime import date

from app import pagecache
from app.models import CaseEvent, Signature
from tests.builders import make_appeal
from tests.i18n.helpers import make_translated_appeal

RUSSIAN_BROWSER = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_accept_language_russian_gives_a_russian_home_page(client, db):
    make_appeal()
    html = client.get("/", headers=RUSSIAN_BROWSER).get_data(as_text=True)
    assert _lang(html) == "ru"
    assert "<h1>Обращения</h1>" in html
    assert "0</strong> подписей" in html


def test_without_preference_the_page_is_english(client, db):
    assert _lang(client.get("/").get_data(as_text=True)) == "en"


def test_explicit_choice_is_kept_in_a_cookie_and_beats_accept_language(client, db):
    response = client.get("/?lang=kk", headers=RUSSIAN_BROWSER)
    assert _lang(response.get_data(as_text=True)) == "kk"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=kk;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    later = client.get("/", headers=RUSSIAN_BROWSER).get_data(as_text=True)
    assert _lang(later) == "kk"
    assert "<h1>Үндеулер</h1>" in later


def test_unknown_language_is_ignored(client, db):
    response = client.get("/?lang=xx")
    assert _lang(response.get_data(as_text=True)) == "en"
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_appeal_language_applies_when_the_visitor_states_none_we_speak(client, db):
    appeal = make_appeal(slug="ru-appeal")
    appeal.letter_language = "ru"
    db.session.commit()
    html = client.get("/a/ru-appeal", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert _lang(html) == "ru"


def test_every_page_links_to_each_language_and_names_its_alternates(client, db):
    make_appeal(slug="links")
    html = client.get("/a/links?lang=ru").get_data(as_text=True)
    for code in ("en", "ru", "kk"):
        assert f'<link rel="alternate" hreflang="{code}" href="/a/links?lang={code}">' in html
    assert '<a href="/a/links?lang=kk" hreflang="kk" lang="kk">Қазақша</a>' in html
    assert '<strong lang="ru" aria-current="true">Русский</strong>' in html


def test_public_pages_say_they_vary_by_language(client, db):
    make_appeal(slug="vary")
    vary = client.get("/a/vary").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


def test_cached_appeal_page_is_kept_per_language(app):
    with app.app_context():
        make_appeal(slug="cached")
    app.config["PUBLIC_PAGE_CACHE_S"] = 60
    pagecache.clear()
    try:
        english = app.test_client().get("/a/cached").get_data(as_text=True)
        russian = app.test_client().get("/a/cached", headers=RUSSIAN_BROWSER).get_data(as_text=True)
        assert _lang(english) == "en" and _lang(russian) == "ru"
        assert "Подписать обращение" in russian
    finally:
        app.config["PUBLIC_PAGE_CACHE_S"] = 0
        pagecache.clear()


def test_appeal_content_is_shown_in_the_readers_language_with_a_plain_note(client, db):
    make_translated_appeal(slug="tr")
    html = client.get("/a/tr?lang=ru").get_data(as_text=True)
    assert "<h1 lang=\"ru\">Освободите журналиста</h1>" in html
    assert "Журналиста судят за публикацию." in html
    assert "Генеральный прокурор Республики Казахстан:</strong> Прекратить уголовное" in html
    assert "Полный текст, хронология и источники — на языке оригинала (английский)." in html
    assert '<section class="body" lang="en">' in html


def test_kazakh_reader_gets_the_russian_translation_when_there_is_no_kazakh_one(client, db):
    make_translated_appeal(slug="tr-kk")
    html = client.get("/a/tr-kk?lang=kk").get_data(as_text=True)
    assert "Освободите журналиста" in html
    assert "сіздің тіліңізге әлі аударылмаған" in html


def test_untranslated_appeal_says_so(client, db):
    make_appeal(slug="plain")
    html = client.get("/a/plain?lang=ru").get_data(as_text=True)
    assert "Это обращение ещё не переведено и показано на языке оригинала (английский)." in html


def test_dates_numbers_and_countries_follow_the_page_language(client, db):
    appeal = make_appeal(slug="dated")
    appeal.events.append(CaseEvent(date=date(2024, 3, 5), kind="hearing", title="Hearing"))
    appeal.confirmed_count = 1234
    db.session.add(Signature(appeal=appeal, name="Aigerim Sultanova", email_hash="h", country="KZ",
                             public_display="full", status="confirmed"))
    db.session.commit()
    html = client.get("/a/dated?lang=ru").get_data(as_text=True)
    assert "5 мар. 2024\u202fг." in html
    assert "1\xa0234</strong>" in html
    assert "Aigerim Sultanova, Казахстан" in html
    assert ">Казахстан</option>" in html
    english = client.get("/a/dated?lang=en").get_data(as_text=True)
    assert "Mar 5, 2024" in english and "1,234</strong>" in english
    assert ">Kazakhstan</option>" in english


def test_form_errors_are_in_the_page_language(client, db):
    make_appeal(slug="errors")
    html = client.get("/a/errors?lang=ru").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/a/errors", data={"csrf_token": token, "name": "", "email": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Укажите своё имя." in page and "Выберите свою страну." in page


def test_error_pages_are_translated(client, db):
    html = client.get("/a/nothing-here", headers=RUSSIAN_BROWSER).get_data(as_text=True)
    assert "<h1>Страница не найдена</h1>" in html


def test_a_string_missing_in_kazakh_is_read_from_russian_not_english(app):
    from flask_babel import gettext

    with app.test_request_context("/?lang=kk"):
        assert gettext("Sign the appeal") == "Үндеуге қол қою"  # in the Kazakh catalog
        assert gettext("Save state") == "Сохранить состояние"  # coordinator page: Russian
        assert gettext("No such string") == "No such string"


def test_the_running_group_is_named_in_the_readers_language(client, db):
    from tests.builders import make_appeal, make_group

    appeal = make_appeal(slug="group-name", group=make_group(name="Adil Soz Foundation"))
    appeal.translations = {"ru": {"title": "Свободу журналисту", "summary": "Кратко.",
                                  "organisation": "Фонд «Адил соз»"}}
    db.session.commit()
    russian = client.get("/a/group-name?lang=ru").get_data(as_text=True)
    assert "Фонд «Адил соз»" in russian and "Adil Soz Foundation" not in russian
    assert "Adil Soz Foundation" in client.get("/a/group-name?lang=en").get_data(as_text=True)
