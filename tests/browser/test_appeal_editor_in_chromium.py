"""A coordinator writes a whole appeal in a real headless Chromium with JavaScript off, previews
it, publishes it; a supporter signs it; the letter says what was typed; the export round-trips."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.appeals.files import import_appeal_text
from app.auth.service import create_user
from app.models import Appeal, OutboxMessage
from tests.builders import make_group, make_post
from tests.live import click_and_load

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium"),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"
SLUG = "kaliyeva-and-mukhamedov"


def log_in(page, base: str, email: str) -> None:  # noqa: ANN001
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", "correct horse battery")
    click_and_load(page, "main form button[type=submit]")


def directory(db) -> None:  # noqa: ANN001
    make_post(slug="kz-general-prosecutor", label="Prosecutor General", holder="Berik Asylov")
    make_post(slug="kz-supreme-court", label="Chairman of the Supreme Court", holder="Aslambek Mergaliyev",
              salutation="Dear Chairman")
    russian = make_post(slug="kz-ombudsman", label="Commissioner for Human Rights", holder="Artur Lastayev",
                        salutation="Dear Commissioner")
    russian.preferred_language = "ru"
    make_post(slug="kz-minister-culture", label="Minister of Culture", holder="Aida Balayeva")
    db.session.commit()


def write_case(page) -> None:  # noqa: ANN001
    page.fill("#title", "Kazakhstan: free Dina Kaliyeva and Serik Mukhamedov")
    page.fill("#slug", SLUG)
    page.fill("#summary", "Two journalists sentenced for posts about a land deal.")
    page.fill("#body", "Dina and Serik wrote about the **Almaty land deal**.")
    page.select_option("#country", "KZ")
    page.fill("#court", "Medeu District Court of Almaty")
    for i, (name, role) in enumerate([("Dina Kaliyeva", "journalist"), ("Serik Mukhamedov", "blogger")]):
        click_and_load(page, "#add-people")
        page.fill(f"#people-{i}-name", name)
        page.select_option(f"#people-{i}-role", role)
    click_and_load(page, "#add-people")
    page.fill("#people-2-name", "Typed by mistake")
    click_and_load(page, "#remove-people-2")
    assert page.locator("#people-2-name").count() == 0
    assert page.locator("#people-1-name").input_value() == "Serik Mukhamedov"
    for i, (article, label) in enumerate([("174", "inciting discord"), ("274", "spreading false information"),
                                          ("130", "defamation")]):
        click_and_load(page, "#add-charges")
        page.select_option(f"#charges-{i}-person", "Dina Kaliyeva" if i < 2 else "Serik Mukhamedov")
        page.fill(f"#charges-{i}-code", "Criminal Code of the Republic of Kazakhstan")
        page.fill(f"#charges-{i}-article", article)
        page.fill(f"#charges-{i}-label", label)
    click_and_load(page, "#add-events")
    page.fill("#events-0-date", "2024-03")
    page.select_option("#events-0-kind", "verdict")
    page.fill("#events-0-title", "Sentenced to five years")
    click_and_load(page, "#add-sources")
    page.fill("#sources-0-title", "Adil Soz statement")
    page.fill("#sources-0-url", "https://adilsoz.kz/news/1")


def choose_recipients(page) -> None:  # noqa: ANN001
    page.fill("#recipient_query", "prosecutor")
    click_and_load(page, "#search")
    page.check("#pick-kz-general-prosecutor")
    click_and_load(page, "#pick")
    page.fill("#recipient_query", "court")
    click_and_load(page, "#search")
    page.check("#pick-kz-supreme-court")
    click_and_load(page, "#pick")
    page.fill("#recipient_query", "human rights")
    click_and_load(page, "#search")
    page.check("#pick-kz-ombudsman")
    click_and_load(page, "#pick")
    page.select_option("#recipients-2-role", "cc")


def write_demands_and_translation(page) -> None:  # noqa: ANN001
    for i, (authority, post, text) in enumerate([
            ("the Prosecutor General", "kz-general-prosecutor", "Drop the charges against both journalists."),
            ("the Supreme Court", "kz-supreme-court", "Quash the verdict of the Medeu District Court.")]):
        click_and_load(page, "#add-demands")
        page.fill(f"#demands-{i}-authority", authority)
        page.select_option(f"#demands-{i}-post", post)
        page.fill(f"#demands-{i}-text", text)
    page.fill("#letter_subject", "Release of Dina Kaliyeva and Serik Mukhamedov")
    click_and_load(page, "#add-translations")
    assert page.locator("#translations-0-language").input_value() == "ru"
    page.fill("#translations-0-title", "Казахстан: освободить Дину Калиеву и Серика Мухамедова")
    page.fill("#translations-0-summary", "Двое журналистов осуждены за публикации о сделке с землёй.")
    page.fill("#translations-0-people-0", "Дина Калиева")
    page.fill("#translations-0-people-1", "Серик Мухамедов")
    page.fill("#translations-0-demands-0-authority", "Генеральному прокурору")
    page.fill("#translations-0-demands-0-text", "Прекратить дело против обоих журналистов.")
    page.fill("#translations-0-demands-1-authority", "Верховному суду")
    page.fill("#translations-0-demands-1-text", "Отменить приговор Медеуского районного суда.")
    # A letter is offered in Russian only when everything it prints is Russian (court and charges too).
    page.fill("#translations-0-court", "Медеуский районный суд города Алматы")
    for i, label in enumerate(["возбуждение розни", "распространение заведомо ложной информации", "клевета"]):
        page.fill(f"#translations-0-charges-{i}-code", "Уголовный кодекс Республики Казахстан")
        page.fill(f"#translations-0-charges-{i}-label", label)


def sign_as_supporter(page, base: str, db) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(base + f"/a/{SLUG}")
    page.fill("#name", "Aigerim Sultanova")
    page.fill("#email", "aigerim@example.org")
    page.select_option("#country", "KZ")
    page.check("input[name=letter_inclusion][value=name_country]")
    click_and_load(page, "button:text('Sign')")
    assert urlsplit(page.url).path == f"/a/{SLUG}/thanks"
    body = db.session.scalar(select(OutboxMessage.body_text))
    db.session.rollback()
    page.goto(base + re.search(r"/confirm/\S+", body).group(0))
    click_and_load(page, "button:text('Confirm my signature')")


def pdf_text(page, url: str) -> str:  # noqa: ANN001
    """The text of the PDF at `url`, fetched with the page's log-in."""
    data = page.request.get(url).body()
    assert data.startswith(b"%PDF"), data[:200]
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def screenshot(page, name: str) -> None:  # noqa: ANN001
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_coordinator_writes_previews_and_publishes_an_appeal_that_round_trips(
        live_server, browser_page, app, db):
    page, requested = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    directory(db)
    create_user("dana@adilsoz.kz", "correct horse battery", role="coordinator",
                group=make_group(slug="adil-soz", name="Adil Soz"))
    db.session.commit()
    log_in(page, live_server, "dana@adilsoz.kz")

    click_and_load(page, "#new-appeal")
    write_case(page)
    choose_recipients(page)
    write_demands_and_translation(page)
    click_and_load(page, "#body-preview")
    assert "<strong>Almaty land deal</strong>" in page.inner_html("#body-preview-html")
    screenshot(page, "editor")
    click_and_load(page, "#save")
    assert urlsplit(page.url).path == f"/coordinator/appeals/{SLUG}/edit", page.inner_text("main")[:2000]
    assert db.session.scalar(select(Appeal.state).where(Appeal.slug == SLUG)) == "draft"
    db.session.rollback()

    click_and_load(page, "#preview-page")
    assert "Preview, seen only by coordinators" in page.inner_text("#preview-banner")
    assert "Dina Kaliyeva" in page.inner_text("main")
    # Dated to the month, shown to the month (not as a made-up 1 March).
    assert page.inner_text("#timeline li") == "March 2024 — Sentenced to five years"
    screenshot(page, "preview")
    click_and_load(page, "text=Preview the letters")
    draft = pdf_text(page, live_server + f"/coordinator/appeals/{SLUG}/preview/letters/kz-supreme-court.pdf")
    assert "Quash the verdict" in draft
    screenshot(page, "letters")
    click_and_load(page, "#publish")
    assert db.session.scalar(select(Appeal.state).where(Appeal.slug == SLUG)) == "open"
    db.session.rollback()

    sign_as_supporter(page, live_server, db)
    log_in(page, live_server, "dana@adilsoz.kz")
    letters = live_server + f"/coordinator/letters/{SLUG}/to/"
    english = pdf_text(page, letters + "kz-supreme-court.pdf")
    for typed in ("Release of Dina Kaliyeva and Serik Mukhamedov",
                  "Quash the verdict of the Medeu District Court",
                  "Article 274", "spreading false information", "Dina Kaliyeva", "Serik Mukhamedov",
                  "Aigerim Sultanova", "Dear Chairman"):
        assert typed in english, (typed, english)
    prosecutor = pdf_text(page, letters + "kz-general-prosecutor.pdf")
    assert "Drop the charges against both journalists" in prosecutor, prosecutor
    russian = pdf_text(page, letters + "kz-ombudsman.pdf")
    for typed in ("Казахстан: освободить Дину Калиеву и Серика Мухамедова", "Дина Калиева, Серик Мухамедов",
                  "Двое журналистов осуждены", "Медеуский районный суд", "возбуждение розни"):
        assert typed in russian, (typed, russian)
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}

    exported = app.test_cli_runner().invoke(args=["appeals", "export", SLUG])
    assert exported.exit_code == 0, exported.output
    assert import_appeal_text(exported.output).action == "unchanged"
    copy = exported.output.replace(f"slug: {SLUG}", "slug: copy-of-the-appeal")
    assert import_appeal_text(copy).action == "created"
    again = app.test_cli_runner().invoke(args=["appeals", "export", "copy-of-the-appeal"]).output
    assert again == copy
    for typed in ("Serik Mukhamedov", "'274'", "2024-03", "https://adilsoz.kz/news/1", "role: cc",
                  "Отменить приговор", "post: kz-supreme-court", "organisation:\n  slug: adil-soz"):
        assert typed in exported.output, typed


def test_editor_errors_sit_next_to_their_fields_in_chromium_and_keep_the_input(live_server, browser_page, db):
    page, _requested = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    create_user("dana@adilsoz.kz", "correct horse battery", role="coordinator",
                group=make_group(slug="adil-soz", name="Adil Soz"))
    db.session.commit()
    log_in(page, live_server, "dana@adilsoz.kz")
    page.goto(live_server + "/coordinator/appeals/new?lang=ru")
    click_and_load(page, "#add-events")
    click_and_load(page, "#add-sources")
    page.fill("#slug", "Not A Slug")
    page.fill("#events-0-date", "2024-02-30")
    page.fill("#events-0-title", "Приговор")
    page.fill("#sources-0-url", "adilsoz.kz")
    click_and_load(page, "#save")
    assert page.locator("#title-error").inner_text() == "обязательно"  # in the page's language
    assert "2024-02-30" in page.locator("#events-0-date-error").inner_text()
    assert page.locator("#events-0-date").input_value() == "2024-02-30"
    assert page.locator("#events-0-title").input_value() == "Приговор"
    assert page.locator("#sources-0-url-error").is_visible()
    assert page.locator("#slug-error").is_visible()
    assert db.session.scalar(select(Appeal.id)) is None
    screenshot(page, "editor-errors-ru")
