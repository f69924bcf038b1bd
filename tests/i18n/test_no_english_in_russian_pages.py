"""A reader of Russian meets no word of the English interface on the public pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from app.i18n import TRANSLATIONS_DIR
from app.languages import LANGUAGES
from tests.builders import make_appeal, make_post
from tests.conftest import csrf_token
from tests.statements.helpers import make_statement

# "Appeal Desk" is a name, formats read the same everywhere, and each language link shows the
# language's own name ("English"); the share links name the services as their own apps do.
BRAND = {"appeal", "desk", "pdf", "png", "jpeg", "csv", "utc", "telegram", "whatsapp",
         "facebook"} | {
    name.lower() for name in LANGUAGES.values()}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def english_vocabulary() -> set[str]:
    """Every Latin word of three letters or more in the English source strings."""
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as source:
        catalog = read_po(source)
    words: set[str] = set()
    for message in catalog:
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            plain = re.sub(r"<[^>]+>|%\([a-z_]+\)[sd]", " ", text or "")
            words.update(word.lower() for word in LATIN_WORD.findall(plain))
    return words - BRAND


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self._skip += tag in ("script", "style", "title")
        self.parts.extend(v for k, v in attrs if k in ("aria-label", "title", "placeholder") and v)

    def handle_endtag(self, tag):  # noqa: ANN001
        self._skip -= tag in ("script", "style", "title")

    def handle_data(self, data):  # noqa: ANN001
        if not self._skip:
            self.parts.append(data)


def english_words_in(html: str, vocabulary: set[str]) -> set[str]:
    parser = _Text()
    parser.feed(html)
    found = {w.lower() for part in parser.parts for w in LATIN_WORD.findall(part)}
    return found & vocabulary


def _russian_appeal():
    post = make_post(slug="kz-gp", label="General Prosecutor", holder="Berik Asylov")
    post.translations = {"ru": {"label": "Генеральный прокурор Республики Казахстан"}}
    post.organization.translations = {"ru": {"name": "Генеральная прокуратура Республики Казахстан"}}
    appeal = make_appeal(slug="ru-case", title="Свободу журналисту", posts=[post],
                         body_md="Журналиста преследуют за **публикацию**.")
    appeal.summary, appeal.letter_language = "Журналиста судят за публикацию.", "ru"
    appeal.demands[0].authority = "Генеральному прокурору"
    appeal.demands[0].text = "Прекратить уголовное преследование."
    post.memberships[0].person.translations = {"ru": {"name": "Берик Асылов"}}
    return appeal


def test_russian_public_pages_carry_no_english_interface_words(client, db):
    vocabulary = english_vocabulary()
    assert {"sign", "appeal"} - BRAND <= vocabulary | BRAND  # the vocabulary is real
    appeal = _russian_appeal()
    db.session.commit()
    statement = make_statement(appeal=appeal, slug="ru-statement")
    statement.title, statement.intro = "Заявление", "Просим поддержать."
    statement.text = "Мы, нижеподписавшиеся организации, просим освободить журналиста."
    from app.statements.published import render_text

    render_text(statement)  # as saving through the service does
    for link in statement.recipients:  # the directory holds Russian names of every recipient
        link.post.translations = link.post.translations or {"ru": {"label": "Министр"}}
        link.post.organization.translations = {"ru": {"name": "Министерство"}}
        for membership in link.post.memberships:
            membership.person.translations = {"ru": {"name": "Гизат Нурдаулетов"}}
    db.session.commit()
    client.get("/?lang=ru")
    pages = {path: client.get(path).get_data(as_text=True) for path in (
        "/", "/a/ru-case", "/a/ru-case/thanks", "/a/ru-case/write", "/confirm/not-a-token",
        "/statements/ru-statement", "/statements/ru-statement/thanks", "/no-such-page",
        # The pages behind the links statement e-mails carry (they were English in every language).
        "/statements/confirm/not-a-token", "/statements/withdraw/not-a-token",
        "/statements/cosign/confirm/not-a-token", "/statements/cosign/withdraw/not-a-token")}
    failed = client.post("/confirm/not-a-token", data={
        "csrf_token": csrf_token(pages["/confirm/not-a-token"])})
    pages["confirm (bad token)"] = failed.get_data(as_text=True)
    found = {path: english_words_in(html, vocabulary) for path, html in pages.items()}
    assert {path: words for path, words in found.items() if words} == {}


def test_the_check_sees_an_english_word():
    assert english_words_in("<p>Подписать <b>Sign</b></p>", {"sign"}) == {"sign"}
