"""The coordinator's requests per recipient role (appeals.letter_requests, edited in the browser)
travel in the appeal file: exported, imported back unchanged, checked like the editor checks them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.appeals.files import export_appeal, import_appeal_text
from app.datafiles.errors import DataFileError
from app.letters.requests import save
from app.models import Appeal
from tests.letters.test_letter_content import _kazakh_case

THIRD_PARTY = ("<p class=\"lead\">We ask {{ post.label }} to raise the case of\n"
               "{{ appeal.people|map(attribute='name')|join(' and ') }}.</p>")
AUTHORITY_RU = ("<p class=\"lead\">Просим Вас:</p>\n"
                "<ol>{% for d in demands %}<li>{{ d.text }}</li>{% endfor %}</ol>")


def test_requests_made_in_the_browser_round_trip_through_export_and_import(app, db, tmp_path):
    appeal, *_posts = _kazakh_case()
    save(appeal, "en", {"authority": "", "third_party": THIRD_PARTY})
    save(appeal, "ru", {"authority": AUTHORITY_RU, "third_party": ""})
    runner = app.test_cli_runner()
    out = tmp_path / "appeal.yaml"
    result = runner.invoke(args=["appeals", "export", appeal.slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert "letter_requests:\n  en:\n    third_party: |-\n" in written
    assert written.index("letter_requests:") < written.index("people:")

    appeal.letter_requests = None  # as a fresh instance would have it
    db.session.commit()
    result = runner.invoke(args=["appeals", "import", str(out)])
    assert result.exit_code == 0 and "updated" in result.output, result.output
    db.session.expire_all()
    stored = db.session.scalar(select(Appeal).where(Appeal.slug == appeal.slug))
    assert stored.letter_requests == {"en": {"third_party": THIRD_PARTY}, "ru": {"authority": AUTHORITY_RU}}
    assert export_appeal(stored) == written
    assert runner.invoke(args=["appeals", "import", str(out)]).output.strip().endswith("unchanged")


BROKEN = """\
slug: broken-requests
title: A title
letter_requests:
  ru:
    authority: |-
      <p>Просим Вас:</p>
      {% for demand in demands %}<li>{{ demand.text }}</li>
    third_party: <p>{{ appeal.title</p>
  xx:
    authority: <p>Hello</p>
  fr:
    everyone: <p>Bonjour</p>
"""


def test_a_request_that_does_not_compile_is_named_with_file_line_and_field(db):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(BROKEN, "broken.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("broken.yaml:5: letter_requests.ru.authority: this template cannot "
                                  "be used: ")
    assert "'endfor'" in messages[0]
    assert messages[1].startswith("broken.yaml:8: letter_requests.ru.third_party: this template "
                                  "cannot be used: ")
    assert messages[2].startswith("broken.yaml:9: letter_requests.xx:")
    assert messages[3].startswith("broken.yaml:12: letter_requests.fr.everyone: unknown field "
                                  "(expected one of: authority, third_party)")
    assert len(messages) == 4
    assert db.session.scalar(select(Appeal)) is None


INCOMPLETE = """\
slug: half-translated
title: Free the journalist
summary: A journalist is on trial.
court: Almaty City Court
charges:
- code: Criminal Code of the Republic of Kazakhstan
  article: '174'
  label: inciting discord
translations:
  ru:
    title: Освободить журналиста
    summary: Журналист находится под судом.
"""


def test_import_says_which_translation_gives_no_letter_yet_and_why(app, db, tmp_path):
    path = tmp_path / "half.yaml"
    path.write_text(INCOMPLETE, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["appeals", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: half-translated created" in result.output
    assert (f"{path}: translations.ru: No letter in ru yet: translate the court, charges (code and "
            "label) (it would print them in en).") in result.output
