"""Languages in a real headless Chromium with JavaScript off."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.delivery.worker import deliver_due
from app.models import Appeal
from tests.builders import make_appeal, make_post
from tests.live import click_and_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]

RUSSIAN = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}


def _html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_russian_browser_gets_russian_home_and_appeal_pages(live_server, browser_page, db):
    page, requested = browser_page
    make_appeal(slug="batyrbekov", title="Release Amangeldy Batyrbekov")
    db.session.rollback()
    page.set_extra_http_headers(RUSSIAN)

    page.goto(live_server + "/")
    assert _html_lang(page) == "ru"
    assert page.locator("h1").inner_text() == "Обращения"
    click_and_load(page, "text=Release Amangeldy Batyrbekov")
    assert _html_lang(page) == "ru"
    assert page.locator("#sign h2").inner_text() == "Подписать обращение"
    assert page.locator("button[type=submit]").inner_text() == "Подписать"
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}


def test_language_links_switch_and_the_choice_persists(live_server, browser_page, db):
    page, _requested = browser_page
    make_appeal(slug="switch", title="Free the journalist")
    db.session.rollback()
    page.set_extra_http_headers(RUSSIAN)

    page.goto(live_server + "/a/switch")
    assert _html_lang(page) == "ru"
    click_and_load(page, "nav.languages >> text=Қазақша")
    assert _html_lang(page) == "kk"
    assert page.locator("#sign h2").inner_text() == "Үндеуге қол қою"
    page.goto(live_server + "/")  # no ?lang: the cookie keeps the choice over Accept-Language
    assert _html_lang(page) == "kk"
    assert page.locator("h1").inner_text() == "Үндеулер"
    click_and_load(page, "nav.languages >> text=English")
    page.goto(live_server + "/a/switch")
    assert _html_lang(page) == "en"
    assert page.locator("#sign h2").inner_text() == "Sign the appeal"


def test_russian_signer_confirms_through_a_russian_e_mail_and_page(live_server, browser_page, db, smtp):
    page, _requested = browser_page
    make_appeal(slug="signer", title="Free the journalist",
                posts=[make_post(slug="kz-general-prosecutor", label="General Prosecutor")])
    db.session.rollback()
    page.set_extra_http_headers(RUSSIAN)

    page.goto(live_server + "/a/signer")
    page.fill("#name", "Айгерим Султанова")
    page.fill("#email", "aigerim@example.org")
    page.select_option("#country", "KZ")
    click_and_load(page, "button:text('Подписать')")
    assert page.locator("h1").inner_text() == "Проверьте почту"

    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == "Подтвердите свою подпись: Free the journalist"
    body = mail.get_body(("plain",)).get_content()
    assert "Здравствуйте, Айгерим Султанова!" in body
    link = re.search(r"http://\S+/confirm/\S+", body).group(0)
    assert link.endswith("?lang=ru")

    page.set_extra_http_headers({"Accept-Language": "en-GB"})  # a reader on another device
    page.context.clear_cookies()
    page.goto(live_server + urlsplit(link).path + "?" + urlsplit(link).query)
    assert _html_lang(page) == "ru"
    click_and_load(page, "button:text('Подтвердить подпись')")
    assert page.locator("h1").inner_text() == "Спасибо! Ваша подпись подтверждена"
    db.session.rollback()
    assert db.session.scalar(select(Appeal.confirmed_count)) == 1


@pytest.mark.parametrize(("count", "words"), [
    (1, "1 подтверждённая подпись"), (2, "2 подтверждённые подписи"),
    (5, "5 подтверждённых подписей"), (21, "21 подтверждённая подпись"),
])
def test_russian_plural_forms_of_the_signature_count(live_server, browser_page, db, count, words):
    page, _requested = browser_page
    appeal = make_appeal(slug=f"count-{count}")
    appeal.confirmed_count = count
    db.session.commit()
    page.goto(f"{live_server}/a/{appeal.slug}?lang=ru")
    meta = " ".join(page.locator("p.count-line").first.inner_text().split())
    assert meta.startswith(words), meta
