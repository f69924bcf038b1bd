"""`translations:` in appeal YAML files: imported, exported back, and every error named."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.appeals.files import export_appeal, import_appeal_text
from app.appeals.translations import available_languages
from app.datafiles.errors import DataFileError
from app.datafiles.loader import load_text as load_located
from app.models import Appeal

BASE = """\
slug: case
title: Free the journalist
state: open
summary: A journalist is on trial.
court: District Court
letter:
  subject: Release the journalist
  language: en
  body: null
people:
- name: Amangeldy Batyrbekov
  role: journalist
  status: imprisoned
  description: ''
charges:
- person: Amangeldy Batyrbekov
  code: Criminal Code
  article: '130'
  label: defamation
demands:
- number: 1
  authority: the Minister
  post: null
  text: Release him.
- number: 2
  authority: the Prosecutor
  post: null
  text: Drop the charges.
"""

TRANSLATIONS = """\
translations:
  ru:
    title: Освободить журналиста
    summary: Журналист находится под судом.
    subject: Об освобождении журналиста
    court: Районный суд
    people:
    - name: Амангельды Батырбеков
    charges:
      '130':
        code: УК РК
        article: ст. 130
        label: клевета
    demands:
      1:
        authority: Министру
        text: Освободить его.
      2:
        authority: Генеральному прокурору
        text: Прекратить уголовное дело.
"""


def _appeal(db) -> Appeal:
    return db.session.scalar(select(Appeal).where(Appeal.slug == "case"))


def test_translations_import_and_export_back_identically(db):
    result = import_appeal_text(BASE + TRANSLATIONS, "case.yaml")
    assert result.action == "created"
    appeal = _appeal(db)
    db.session.expire_all()  # read back what the database stored
    assert appeal.translations["ru"]["demands"]["2"]["text"] == "Прекратить уголовное дело."
    assert available_languages(appeal) == ["en", "ru"]
    exported = export_appeal(appeal)
    assert exported.endswith("body: ''\n" + TRANSLATIONS)
    assert load_located(exported, "x").data["demands"][1]["text"] == "Drop the charges."
    assert import_appeal_text(exported).action == "unchanged"


def test_changing_a_translation_updates_and_removing_it_clears_it(db):
    import_appeal_text(BASE + TRANSLATIONS)
    changed = import_appeal_text(BASE + TRANSLATIONS.replace("Освободить его.", "Освободить."))
    assert changed.action == "updated"
    assert _appeal(db).translations["ru"]["demands"]["1"]["text"] == "Освободить."
    assert import_appeal_text(BASE).action == "updated"
    assert _appeal(db).translations is None
    assert "translations" not in export_appeal(_appeal(db))


def test_an_incomplete_translation_is_kept_but_not_available(db):
    import_appeal_text(BASE + "translations:\n  ru:\n    title: Освободить журналиста\n")
    appeal = _appeal(db)
    assert appeal.translations == {"ru": {"title": "Освободить журналиста"}}
    assert available_languages(appeal) == ["en"]


@pytest.mark.parametrize(("yaml_text", "snippet_line", "expected"), [
    ("translations:\n  de:\n    title: Befreit ihn\n",
     2, "translations.de: 'de' is not a language Appeal Desk writes letters in (one of: en, ru, kk, fr)"),
    ("translations:\n  ru:\n    title: Заголовок\n    body: Текст\n",
     4, "translations.ru.body: unknown field (expected one of: title, summary,"),
    ("translations:\n  ru:\n    demands:\n      3:\n        authority: Кому\n        text: Что\n",
     4, "translations.ru.demands.3: the appeal has no demand number 3"),
    ("translations:\n  ru:\n    title:\n    - a list\n",
     3, "translations.ru.title: must be text, not a list"),
    ("translations:\n  ru:\n    demands:\n      1:\n        authority: Кому\n        text: {a: b}\n",
     6, "translations.ru.demands.1.text: must be text, not a mapping of fields"),
    ("translations:\n  ru:\n    demands:\n      1:\n        text: Освободить.\n",
     4, "translations.ru.demands.1.authority: is required"),
    ("translations:\n  ru:\n    demands:\n      1:\n        authority: Кому\n        txt: Что\n",
     6, "translations.ru.demands.1.txt: unknown field (expected one of: authority, text)"),
    ("translations:\n  ru:\n    people:\n    - name: Один\n    - name: Два\n",
     5, "translations.ru.people[1]: the appeal has 1 people: there is no person 2"),
    ("translations:\n  ru:\n    charges:\n      '131':\n        label: оскорбление\n",
     4, "translations.ru.charges.131: the appeal has no charge under article '131'"),
    ("translations:\n  ru:\n    charges:\n      '130':\n        penalty: штраф\n",
     5, "translations.ru.charges.130.penalty: unknown field"),
    ("translations:\n  ru:\n    subject: |\n      two\n      lines\n",
     3, "translations.ru.subject: must be on one line"),
    ("translations:\n- ru\n", 1, "translations: must be a mapping of fields (name: value), not a list"),
    ("translations:\n  ru: Освободить\n", 2, "translations.ru: must be a mapping of fields"),
])
def test_translation_errors_name_file_line_and_field_and_store_nothing(db, yaml_text, snippet_line,
                                                                        expected):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(BASE + yaml_text, "case.yaml")
    messages = [str(p) for p in caught.value.problems]
    line = len(BASE.splitlines()) + snippet_line  # the line within yaml_text, from 1
    assert any(m.startswith(f"case.yaml:{line}: {expected}") for m in messages), messages
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 0


def test_a_bad_translation_leaves_the_stored_appeal_as_it_was(db):
    import_appeal_text(BASE + TRANSLATIONS)
    with pytest.raises(DataFileError):
        import_appeal_text((BASE + TRANSLATIONS).replace("Освободить его.", "[1, 2]"))
    with pytest.raises(DataFileError):
        import_appeal_text(BASE.replace("Free the", "Freed") + TRANSLATIONS.replace("  ru:", "  xx:"))
    appeal = _appeal(db)
    assert appeal.title == "Free the journalist"
    assert appeal.translations["ru"]["demands"]["1"]["text"] == "Освободить его."
