"""Appeals to and from YAML, and the `flask appeals` commands."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.appeals.yaml_io import export_appeal, import_appeal_file, import_appeal_text
from app.models import Appeal, Charge, Demand
from app.yamlio import DataFileError
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
    expected = [
        "bad.yaml:1: slug: use 1–80 lowercase letters",
        "bad.yaml:3: state: must be one of draft, open, paused, closed",
        "bad.yaml:7: people[0].status: must be one of",
        "bad.yaml:9: charges[0].person: 'Nobody' is not one of the people",
        "bad.yaml:14: events[0].date: must be a date written YYYY-MM-DD",
        "bad.yaml:19: sources[0].url: must start with http",
        "bad.yaml:24: demands[1].number: number 1 is used twice",
        "bad.yaml:28: recipients[0].post: no post 'no-such-post' in the directory",
        "bad.yaml:29: colour: unknown field",
    ]
    for prefix in expected:
        assert any(m.startswith(prefix) for m in messages), (prefix, messages)
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
