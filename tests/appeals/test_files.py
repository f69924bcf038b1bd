"""Appeals to and from YAML, and the `flask appeals` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.appeals.files import export_appeal, import_appeal_file, import_appeal_text
from app.datafiles.errors import DataFileError
from app.models import Appeal, Charge, Demand
from tests.builders import make_post

DEMO = Path(__file__).resolve().parents[2] / "app" / "demo" / "appeals"
SEED_POSTS = ["kz-president", "kz-human-rights-ombudsman", "kz-minister-internal-affairs",
              "kz-general-prosecutor", "kz-minister-foreign-affairs", "kz-minister-information",
              "kz-supreme-court-chair", "kz-minister-justice", "un-sr-freedom-of-expression",
              "osce-rfom"]


@pytest.fixture
def seed_posts(db):
    for slug in SEED_POSTS:
        make_post(slug=slug, label=slug.replace("-", " ").title(), holder=None)
    db.session.commit()


def test_every_demo_appeal_imports_and_exports_back_identically(db, seed_posts):
    for path in sorted(DEMO.glob("*.yaml")):
        result = import_appeal_file(path)
        assert result.action == "created"
        appeal = db.session.scalar(select(Appeal).where(Appeal.slug == result.slug))
        assert export_appeal(appeal) == path.read_text(encoding="utf-8"), path.name
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 4


def test_reimport_of_an_unchanged_file_changes_nothing(db, seed_posts):
    path = DEMO / "batyrbekov-release.yaml"
    import_appeal_file(path)
    ids = db.session.scalars(select(Demand.id).order_by(Demand.id)).all()
    assert import_appeal_file(path).action == "unchanged"
    assert db.session.scalars(select(Demand.id).order_by(Demand.id)).all() == ids


def test_reimport_with_a_change_updates_in_place(db, seed_posts):
    text = (DEMO / "batyrbekov-release.yaml").read_text(encoding="utf-8")
    import_appeal_text(text)
    # The article names the charge in the translations too, so it changes in both places.
    result = import_appeal_text(text.replace("'131'", "'131 part 2'"))
    assert result.action == "updated"
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 1
    assert "131 part 2" in db.session.scalars(select(Charge.article)).all()


BAD = """\
slug: Bad/Slug
title: A title
state: shouting
people:
- name: Someone
  role: journalist
  status: free
charges:
- person: Nobody
  code: Criminal Code
  article: '1'
  label: x
events:
- date: 13 May 2014
  kind: verdict
  title: t
sources:
- number: 1
  url: ftp://example.org
demands:
- number: 1
  authority: A
  text: T
- number: 1
  authority: B
  text: U
recipients:
- post: no-such-post
colour: red
"""


def test_import_names_file_line_and_field_of_every_error_and_stores_nothing(db, seed_posts):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(BAD, "bad.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "bad.yaml:1: slug: 'Bad/Slug' is not an id: use up to 80 lower-case letters, digits and single "
        "dashes, such as kz-general-prosecutor",
        "bad.yaml:3: state: must be one of draft, open, paused, closed (got 'shouting')",
        "bad.yaml:7: people[0].status: must be one of imprisoned, suspended_sentence, restricted_freedom, "
        "on_trial, psychiatric_detention, abroad_at_risk, released (got 'free')",
        "bad.yaml:14: events[0].date: '13 May 2014' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD "
        "(2017, 2017-04 or 2017-04-09)",
        "bad.yaml:19: sources[0].url: must start with http:// or https://",
        "bad.yaml:29: colour: unknown field (expected one of: slug, title, state, summary, pitch, "
        "signature_goal, paused_notice, write_before, outcome, country, court, organisation, letter, "
        "letter_requests, people, charges, events, sources, demands, recipients, body, translations)",
    ]
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 0


# Well formed, but its parts disagree with each other and with the directory.
DISAGREEING = """\
slug: good-slug
title: A title
state: paused
people:
- name: Someone
  role: journalist
  status: imprisoned
charges:
- person: Nobody
  code: Criminal Code
  article: '1'
  label: x
demands:
- number: 1
  authority: A
  text: T
- number: 1
  authority: B
  post: kz-presidnt
  text: U
recipients:
- post: kz-general-prosecuter
- post: kz-general-prosecuter
"""


def test_parts_that_disagree_are_named_with_file_line_and_field(db, seed_posts):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(DISAGREEING, "bad.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml:3: state: a paused appeal needs a paused_notice, shown on its page",
        "bad.yaml:9: charges[0].person: 'Nobody' is not one of the people of the case",
        "bad.yaml:17: demands[1].number: number 1 is used twice",
        "bad.yaml:23: recipients[1].post: kz-general-prosecuter is listed twice",
    ]
    fixed = DISAGREEING.replace("state: paused", "state: open").replace("person: Nobody", "person: Someone") \
        .replace("- number: 1\n  authority: B", "- number: 2\n  authority: B") \
        .replace("- post: kz-general-prosecuter\n- post", "- post: kz-president\n- post")
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(fixed, "bad.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml:23: recipients[1].post: no post 'kz-general-prosecuter' in the directory (import "
        "recipients/ first) (did you mean 'kz-general-prosecutor'?)",
        "bad.yaml:19: demands[1].post: no post 'kz-presidnt' in the directory (import recipients/ first) "
        "(did you mean 'kz-president'?)",
    ]
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 0


def test_yaml_syntax_error_names_the_line(db):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text("slug: a\ntitle: [unclosed\n", "broken.yaml")
    assert str(caught.value).startswith("broken.yaml:")
    assert "not valid YAML" in str(caught.value)


def test_import_refuses_python_tags(db):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text("slug: !!python/object/apply:os.system ['true']\ntitle: x\n", "evil.yaml")
    assert "evil.yaml:1" in str(caught.value)


def test_cli_list_export_import(app, db, seed_posts, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["appeals", "import", str(DEMO / "kobeysinov-bezhanova.yaml")])
    assert result.exit_code == 0, result.output
    assert "kobeysinov-bezhanova created" in result.output

    listing = runner.invoke(args=["appeals", "list"])
    assert listing.output.strip() == "kobeysinov-bezhanova\topen\tconfirmed=0\tunconfirmed=0"

    out = tmp_path / "k.yaml"
    runner.invoke(args=["appeals", "export", "kobeysinov-bezhanova", "--out", str(out)])
    assert out.read_text(encoding="utf-8") == (DEMO / "kobeysinov-bezhanova.yaml").read_text(encoding="utf-8")

    missing = runner.invoke(args=["appeals", "export", "nope"])
    assert missing.exit_code != 0 and "no appeal 'nope'" in missing.output

    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    failed = runner.invoke(args=["appeals", "import", str(bad)])
    assert failed.exit_code == 1
    assert f"{bad}:3: state:" in failed.output


PARTIAL_DATES = """\
slug: dated
title: Dates as they are known
events:
- date: '2017'
  kind: arrest
  title: Arrested
- date: 2017-04
  kind: charge
  title: Charged
- date: 2019-09-23
  kind: verdict
  title: Sentenced
"""


def test_event_dates_may_be_a_year_or_a_month_and_are_exported_as_written(db):
    assert import_appeal_text(PARTIAL_DATES, "dated.yaml").action == "created"
    appeal = db.session.scalar(select(Appeal).where(Appeal.slug == "dated"))
    assert [(e.date.isoformat(), e.date_precision, e.date_text) for e in appeal.events] == [
        ("2017-01-01", "year", "2017"), ("2017-04-01", "month", "2017-04"),
        ("2019-09-23", "day", "2019-09-23")]
    exported = export_appeal(appeal)
    assert "- date: '2017'\n" in exported and "- date: 2017-04\n" in exported
    assert "- date: 2019-09-23\n" in exported
    assert import_appeal_text(exported, "dated.yaml").action == "unchanged"


def test_an_impossible_month_is_refused_with_the_accepted_forms(db):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(PARTIAL_DATES.replace("2017-04", "2017-13"), "dated.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "dated.yaml:7: events[1].date: '2017-13' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD "
        "(2017, 2017-04 or 2017-04-09)"]


def test_a_letter_language_the_service_does_not_speak_is_refused(db):
    text = PARTIAL_DATES + "letter:\n  language: de\n"
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(text, "de.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "de.yaml:14: letter.language: 'de' is not a language Appeal Desk writes letters in "
        "(one of: en, ru, kk, fr)"]


def test_no_and_yes_stay_text_and_a_country_code_no_is_norway(db):
    text = PARTIAL_DATES.replace("title: Dates as they are known", "title: yes\ncountry: NO\ncourt: ON")
    import_appeal_text(text, "no.yaml")
    appeal = db.session.scalar(select(Appeal).where(Appeal.slug == "dated"))
    assert (appeal.title, appeal.country, appeal.court) == ("yes", "NO", "ON")


def test_public_takes_only_true_or_false(db):
    text = PARTIAL_DATES.replace("  title: Arrested\n", "  title: Arrested\n  public: no\n")
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(text, "p.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "p.yaml:7: events[0].public: must be true or false (got 'no')"]


def test_a_colon_in_an_unquoted_title_gets_a_hint_about_quotes(db):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(PARTIAL_DATES.replace("title: Arrested", "title: Kazakhstan: arrested"), "c.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "c.yaml:6: not valid YAML: mapping values are not allowed here (a ': ' here starts a new field; "
        "if this value is text containing a colon, put the whole value in quotes, e.g. "
        "title: 'Kazakhstan: free him')"]
