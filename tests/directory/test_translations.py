"""Directory translations: names of organisations, posts and people per language in the files."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.datafiles.errors import DataFileError
from app.directory.files import check_paths, export_directory, import_paths
from app.directory.translations import missing, post_translations, recipient_text
from app.models import DirectoryChange, Organization, Person, Post
from tests.directory.test_files import RECIPIENTS, messages, write

TRANSLATED = """\
organizations:
- id: test-ministry
  name: Ministry of Tests
  kind: ministry
  country: KZ
  source: test
  translations:
    ru:
      name: Министерство испытаний
  posts:
  - id: test-minister
    label: Minister of Tests
    salutation: Dear Minister
    preferred_language: ru
    source: test
    translations:
      ru:
        label: Министр испытаний
        salutation: Уважаемый господин Министр
      kk:
        label: Сынақ министрі
    holders:
    - person: first-minister
      start: 2010-01-01
      source: test
people:
- id: first-minister
  name: First Minister
  honorific_prefix: Mr
  source: test
  translations:
    ru:
      name: Первый Министр
"""


def test_a_file_with_translations_round_trips_byte_for_byte(db, tmp_path):
    path = write(tmp_path, "tr.yaml", TRANSLATED)
    import_paths([path])
    post = db.session.scalar(select(Post).where(Post.slug == "test-minister"))
    assert post.translations == {"ru": {"label": "Министр испытаний",
                                        "salutation": "Уважаемый господин Министр"},
                                 "kk": {"label": "Сынақ министрі"}}
    assert post.organization.translations == {"ru": {"name": "Министерство испытаний"}}
    export_directory(tmp_path / "out")
    assert (tmp_path / "out" / "tr.yaml").read_text(encoding="utf-8") == TRANSLATED


def test_reimport_of_translations_is_idempotent_and_a_change_is_logged(db, tmp_path):
    path = write(tmp_path, "tr.yaml", TRANSLATED)
    import_paths([path])
    again = import_paths([path])
    assert not again.changed
    write(tmp_path, "tr.yaml", TRANSLATED.replace("name: Первый Министр", "name: Первый министр"))
    report = import_paths([path])
    assert report.updated == {"person": 1}
    change = db.session.scalar(select(DirectoryChange).where(DirectoryChange.field == "translations"))
    assert change.entity_slug == "first-minister"
    assert "Первый Министр" in change.old_value and "Первый министр" in change.new_value


def test_the_shipped_kazakh_file_names_every_organisation_post_and_person_in_russian(db):
    import_paths([RECIPIENTS / "kz.yaml"])
    gaps = [o.slug for o in db.session.scalars(select(Organization).where(Organization.country == "KZ"))
            if not (o.translations or {}).get("ru", {}).get("name")]
    # The ombudsman's office has no official Russian name from a source at hand (see the report).
    assert gaps == ["kz-ombudsman-office"]
    for post in db.session.scalars(select(Post)):
        ru = post.translations["ru"]
        assert ru["label"] and ru["label_dative"] and ru["salutation"], post.slug
    for person in db.session.scalars(select(Person).where(Person.file_group == "kz")):
        assert person.translations["ru"]["name"] and person.translations["ru"]["name_dative"], person.slug
    tokayev = db.session.scalar(select(Person).where(Person.slug == "kassym-jomart-tokayev"))
    assert tokayev.translations == {"ru": {"name": "Касым-Жомарт Токаев",
                                           "name_dative": "Касым-Жомарту Токаеву"},
                                    "kk": {"name": "Қасым-Жомарт Тоқаев"}}


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    ru:\n      name: Министерство испытаний",
     "    xx:\n      name: Министерство испытаний",
     "tr.yaml:8: organizations[0].translations.xx: 'xx' is not a language Appeal Desk writes "
     "letters in (one of: en, ru, kk, fr)"),
    ("      ru:\n        label: Министр испытаний",
     "      ru:\n        title: Министр испытаний",
     "tr.yaml:18: organizations[0].posts[0].translations.ru.title: unknown field "
     "(expected one of: label, label_dative, salutation)"),
    ("      name: Первый Министр", "      name: [4, 2]",
     "tr.yaml:33: people[0].translations.ru.name: must be text, not a list"),
    ("      name: Первый Министр", '      name: "Первый\\nМинистр"',
     "tr.yaml:33: people[0].translations.ru.name: must be on one line (no line breaks or "
     "control characters)"),
    ("        salutation: Уважаемый господин Министр", "        salutation: |\n          Уважаемый\n"
     "          господин Министр",
     "tr.yaml:19: organizations[0].posts[0].translations.ru.salutation: must be on one line"),
    ("  translations:\n    ru:\n      name: Министерство испытаний", "  translations: Министерство",
     "tr.yaml:7: organizations[0].translations: must be a mapping of fields (name: value), not text"),
    ("    ru:\n      name: Первый Министр", "    ru: Первый Министр",
     "tr.yaml:32: people[0].translations.ru: must be a mapping of fields (name: value), not text"),
    ("      name: Первый Министр", "      name: Первый Министр\n      honorific_prefix: " + "г" * 41,
     "tr.yaml:34: people[0].translations.ru.honorific_prefix: is longer than 40 characters"),
])
def test_each_translation_error_names_file_line_and_field(tmp_path, old, new, expected):
    assert old in TRANSLATED
    path = write(tmp_path, "tr.yaml", TRANSLATED.replace(old, new))
    problems = messages(check_paths([path]))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{tmp_path}/{expected}"), problems


def test_an_invalid_translation_imports_nothing(db, tmp_path):
    path = write(tmp_path, "tr.yaml", TRANSLATED.replace("    ru:\n      name: Министерство",
                                                         "    de:\n      name: Министерство"))
    with pytest.raises(DataFileError):
        import_paths([path])
    assert db.session.scalar(select(Organization).where(Organization.slug == "test-ministry")) is None


def test_a_letter_takes_the_translation_of_its_language_and_kazakh_falls_back_to_russian(db, tmp_path):
    import_paths([write(tmp_path, "tr.yaml", TRANSLATED)])
    post = db.session.scalar(select(Post).where(Post.slug == "test-minister"))
    holder = post.memberships[0].person
    ru = recipient_text(post, holder, "ru")
    assert (ru.label, ru.salutation, ru.organisation, ru.addressee) == (
        "Министр испытаний", "Уважаемый господин Министр", "Министерство испытаний", "Первый Министр")
    kk = recipient_text(post, holder, "kk")  # its own label; the rest, field by field, in Russian
    assert (kk.label, kk.salutation, kk.addressee) == (
        "Сынақ министрі", "Уважаемый господин Министр", "Первый Министр")
    en = recipient_text(post, holder, "en")
    assert (en.label, en.salutation, en.organisation, en.addressee) == (
        "Minister of Tests", "Dear Minister", "Ministry of Tests", "Mr First Minister")
    assert missing(post, holder, "ru") == [] and missing(post, holder, "en") == []
    assert missing(post, holder, "kk") == []
    post.translations = {"kk": {"label": "Сынақ министрі"}}
    assert missing(post, holder, "kk") == ["salutation"] and missing(post, holder, "ru") == [
        "post label", "salutation"]
    assert post_translations(post, holder)["ru"]["holder"] == "Первый Министр"
