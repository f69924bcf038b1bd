"""`flask demo`: the seed appeals with their real recipients, and idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from app.directory.resolve import resolve
from app.models import Appeal, Base, User


def _row_counts(db) -> dict[str, int]:
    tables = Base.metadata.sorted_tables
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in tables}


def test_demo_loads_the_four_seed_appeals_with_resolvable_recipients(app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "password:" in result.output
    appeals = {a.slug: a for a in db.session.scalars(select(Appeal))}
    assert set(appeals) >= {"duambekov-defamation", "batyrbekov-release", "turymbetov-kaliyeva",
                            "kobeysinov-bezhanova"}
    for appeal in appeals.values():
        assert appeal.state == "open" and appeal.recipients and appeal.demands
        for link in appeal.recipients:
            assert resolve(link.post).contacts, link.post.slug
    batyrbekov = appeals["batyrbekov-release"]
    assert [(r.post.slug, r.role) for r in batyrbekov.recipients] == [
        ("kz-minister-information", "to"), ("kz-general-prosecutor", "cc")]
    assert db.session.scalar(select(User.role)) == "admin"
    assert "statement batyrbekov-ifex-sign-on: created" in result.output


def test_running_the_demo_twice_changes_nothing(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    before = _row_counts(db)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "password:" not in second.output
    assert "created: 0, updated: 0" in second.output
    assert second.output.count(": unchanged") == 5  # four appeals and the sign-on statement
    assert _row_counts(db) == before


def test_demo_letters_to_officials_preferring_russian_are_in_russian(app, db):
    from app.appeals.translations import available_languages
    from app.letters.service import letter_language, recipient_letter_pdf
    from tests.letters.helpers import pdftotext

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    appeals = list(db.session.scalars(select(Appeal)))
    assert appeals and all(available_languages(a)[:2] == ["en", "ru"] for a in appeals)
    batyrbekov = next(a for a in appeals if a.slug == "batyrbekov-release")
    post = batyrbekov.recipients[0].post
    assert post.preferred_language == "ru" and letter_language(batyrbekov, post) == "ru"
    text = " ".join(pdftotext(recipient_letter_pdf(batyrbekov, post)).split())
    for russian in ("Об освобождении журналиста Амангельды Батырбекова", "С уважением",
                    "Привести законодательство о средствах массовой информации",
                    "Уголовный кодекс Республики Казахстан, статья 130 (клевета)",
                    "Амангельды Батырбеков: в заключении"):
        assert russian in text
    # The minister is asked for what is addressed to the minister, not the others' demands.
    for others in ("Декриминализировать клевету", "Обеспечить открытое и справедливое"):
        assert others not in text
    for english in ("Release of journalist", "Decriminalise", "Yours sincerely", "Criminal Code",
                    "Saryagash Info"):
        assert english not in text


def test_demo_batyrbekov_letter_to_the_president_is_in_kazakh_throughout(app, db):
    from app.appeals.translations import is_available
    from app.letters.service import recipient_letter_pdf
    from app.models import Post
    from tests.letters.helpers import pdftotext

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    batyrbekov = db.session.scalar(select(Appeal).where(Appeal.slug == "batyrbekov-release"))
    assert is_available(batyrbekov, "kk")
    president = db.session.scalar(select(Post).where(Post.slug == "kz-president"))
    text = " ".join(pdftotext(recipient_letter_pdf(batyrbekov, president, language="kk")).split())
    # The joint letter is headed by the appeal's subject (its title appears only in a
    # supporter's own letter), so the Kazakh subject stands for the Kazakh title here.
    for kazakh in ("Журналист Амангелді Батырбековты босату және жала жабуды декриминализациялау",
                   "Қазақстан Республикасының Президенті", "Құрметті Президент мырза",
                   "Қасым-Жомарт Тоқаев", "Құрметпен",
                   "Қазақстан Республикасының Қылмыстық кодексі, 130-бап (жала жабу)"):
        assert kazakh in text
    for russian in ("Уважаемый", "С уважением", "Президент Республики Казахстан",
                    "Уголовный кодекс", "клевета", "Амангельды"):
        assert russian not in text
    for english in ("Dear", "Yours", "Criminal Code", "Saryagash"):
        assert english not in text


def test_demo_names_its_administrator_and_the_organisations_without_a_key(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert "demo administrator created: coordinator@appeal-desk.localhost" in first.output
    reminder = next(line for line in first.output.splitlines() if "no organisation key yet" in line)
    assert "adil-soz" in reminder and "flask sealing create-key" in reminder
    assert runner.invoke(args=["sealing", "create-key", "adil-soz"]).exit_code == 0
    second = runner.invoke(args=["demo"]).output
    assert "adil-soz" not in next(line for line in second.splitlines() if "no organisation key" in line)
