"""The first screen of the appeal page: pitch, count and progress towards the goal."""

from __future__ import annotations

from app.extensions import db as _db
from tests.builders import make_appeal


def test_pitch_count_and_progress_towards_the_goal(client, db):
    appeal = make_appeal(slug="batyrbekov")
    appeal.pitch, appeal.signature_goal, appeal.confirmed_count = "Sign: he wrote a post.", 2000, 500
    _db.session.commit()
    html = client.get("/a/batyrbekov").get_data(as_text=True)
    assert '<p class="pitch" lang="en">Sign: he wrote a post.</p>' in html
    assert '<p class="lead">A journalist is on trial.</p>' in html  # the summary moves to the case
    assert '<progress id="goal-progress" max="2000" value="500"' in html
    assert 'aria-label="25% of the goal"' in html and "of 2,000 needed" in html


def test_without_a_goal_there_is_no_progress_bar_and_the_summary_leads(client, db):
    make_appeal(slug="batyrbekov")
    html = client.get("/a/batyrbekov").get_data(as_text=True)
    assert "<progress" not in html and 'class="pitch"' not in html
    assert '<p class="lead">A journalist is on trial.</p>' in html


def test_a_translated_page_leads_with_the_translated_summary_not_the_pitch(client, db):
    appeal = make_appeal(slug="batyrbekov")
    appeal.pitch = "English pitch."
    appeal.translations = {"ru": {"title": "Освободите журналиста", "summary": "Журналиста судят."}}
    _db.session.commit()
    html = client.get("/a/batyrbekov?lang=ru").get_data(as_text=True)
    assert "English pitch." not in html.split('<div class="appeal-case">')[0]
    assert "Журналиста судят." in html


def test_signer_list_names_countries_in_the_readers_language(client, db):
    from app.models import Signature

    appeal = make_appeal(slug="batyrbekov")
    _db.session.add(Signature(appeal_id=appeal.id, name="Aigerim Sultanova", email_hash="x" * 64,
                              country="KZ", status="confirmed", public_display="full",
                              confirmed_at=appeal.created_at))
    _db.session.commit()
    assert "Aigerim Sultanova, Казахстан" in client.get("/a/batyrbekov?lang=ru").get_data(as_text=True)
    assert "Aigerim Sultanova, Kazakhstan" in client.get("/a/batyrbekov?lang=en").get_data(as_text=True)


def test_a_translated_article_is_not_called_an_article_twice(client, db):
    """Translations write the article as their readers do ("ст. 130", docs/appeals.md); the page
    said "статья ст. 130"."""
    from app.models import CasePerson, Charge

    appeal = make_appeal(slug="batyrbekov")
    appeal.people.append(CasePerson(name="Amangeldy Batyrbekov", role="journalist", status="imprisoned"))
    appeal.charges.append(Charge(code="Criminal Code", article="130", label="defamation"))
    appeal.charges.append(Charge(code="Criminal Code", article="274 part 4", label="false news"))
    appeal.translations = {"ru": {"title": "Освободите журналиста", "charges": {
        "130": {"code": "Уголовный кодекс", "article": "ст. 130", "label": "клевета"},
        "274 part 4": {"code": "Уголовный кодекс", "article": "ч. 4 ст. 274", "label": "ложь"}}}}
    _db.session.commit()
    html = client.get("/a/batyrbekov?lang=ru").get_data(as_text=True)
    assert "клевета — статья 130, Уголовный кодекс" in html
    assert "ложь — статья 274, ч. 4, Уголовный кодекс" in html
    assert "статья ст." not in html
    english = client.get("/a/batyrbekov?lang=en").get_data(as_text=True)
    assert "false news — Article 274 part 4, Criminal Code" in english


def test_text_shown_in_another_language_says_so_to_screen_readers(client, db):
    """A Kazakh reader is shown the Russian translation; without lang="ru" a screen reader reads
    it with Kazakh rules. Text in the page's own language carries no attribute."""
    appeal = make_appeal(slug="batyrbekov")
    appeal.translations = {"ru": {"title": "Освободите журналиста", "summary": "Журналиста судят."}}
    _db.session.commit()
    home = client.get("/?lang=kk").get_data(as_text=True)
    assert '<h2 lang="ru"><a href="/a/batyrbekov">Освободите журналиста</a></h2>' in home
    assert '<p lang="ru">Журналиста судят.</p>' in home
    page = client.get("/a/batyrbekov?lang=kk").get_data(as_text=True)
    assert '<p class="lead" lang="ru">Журналиста судят.</p>' in page
    russian = client.get("/?lang=ru").get_data(as_text=True)
    assert '<h2><a href="/a/batyrbekov">Освободите журналиста</a></h2>' in russian
