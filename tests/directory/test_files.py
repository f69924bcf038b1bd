"""recipients/*.yaml: check lists every error with file and line; import is idempotent; export round-trips."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import PROJECT_ROOT
from app.datafiles.errors import DataFileError
from app.directory.files import check_paths, export_directory, import_paths
from app.models import ContactDetail, DirectoryChange, Membership, Organization, Person, Post

RECIPIENTS = PROJECT_ROOT / "recipients"
SHIPPED = ("kz", "un", "eu", "osce", "coe")

VALID = """\
organizations:
- id: test-ministry
  name: Ministry of Tests
  kind: ministry
  country: KZ
  source: test
  contacts:
  - type: fax
    value: +7 7172 72 05 16
    last_verified: 2026-01-10
    source: test
  posts:
  - id: test-minister
    label: Minister of Tests
    salutation: Dear Minister
    preferred_language: ru
    source: test
    holders:
    - person: first-minister
      start: 2010-01-01
      end: 2015-12-31
      source: test
people:
- id: first-minister
  name: First Minister
  source: test
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(problems) -> list[str]:  # noqa: ANN001
    return [str(p) for p in problems]


def counts(db) -> tuple[int, ...]:  # noqa: ANN001
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in
                 (Organization, Post, Person, Membership, ContactDetail, DirectoryChange))


def test_shipped_files_are_valid():
    assert check_paths([RECIPIENTS]) == []
    assert sorted(p.stem for p in RECIPIENTS.glob("*.yaml")) == sorted(SHIPPED)


def test_import_then_export_round_trips_the_shipped_files_byte_for_byte(db, tmp_path):
    import_paths([RECIPIENTS])
    written = export_directory(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(f"{g}.yaml" for g in SHIPPED)
    for group in SHIPPED:
        assert (tmp_path / "out" / f"{group}.yaml").read_bytes() == \
            (RECIPIENTS / f"{group}.yaml").read_bytes(), group


def test_reimport_creates_nothing_and_reports_everything_unchanged(db):
    first = import_paths([RECIPIENTS])
    before = counts(db)
    second = import_paths([RECIPIENTS])
    assert counts(db) == before
    assert not second.changed and second.changes == []
    assert second.unchanged == first.created
    assert "created: 0, updated: 0" in second.summary()


def test_reimport_updates_in_place_and_reports_the_changed_fields(db, tmp_path):
    path = write(tmp_path, "t.yaml", VALID)
    import_paths([path])
    post_id = db.session.scalar(select(Post.id).where(Post.slug == "test-minister"))
    path.write_text(VALID.replace("salutation: Dear Minister", "salutation: Your Excellency")
                    .replace("+7 7172 72 05 16", "+7 7172 74 05 48"), encoding="utf-8")
    report = import_paths([path])
    assert report.updated == {"post": 1, "organization": 1}
    assert report.unchanged == {"person": 1}
    fields = {(c.slug, c.field) for c in report.changes}
    assert fields == {("test-minister", "salutation"), ("test-ministry", "contacts[0]")}
    assert "test-minister: salutation: Dear Minister -> Your Excellency" in report.summary()
    post = db.session.scalar(select(Post).where(Post.slug == "test-minister"))
    assert post.id == post_id and post.salutation == "Your Excellency"
    assert post.organization.contacts[0].value == "+77172740548"
    change = db.session.scalar(select(DirectoryChange).where(DirectoryChange.field == "salutation"))
    assert (change.actor, change.old_value, change.new_value) == ("import", "Dear Minister",
                                                                  "Your Excellency")


def test_phone_is_stored_in_e164_and_written_back_in_international_format(db, tmp_path):
    path = write(tmp_path, "t.yaml", VALID.replace("+7 7172 72 05 16", "+7 (7172) 72-05-16"))
    import_paths([path])
    contact = db.session.scalar(select(ContactDetail))
    assert contact.value == "+77172720516"
    export_directory(tmp_path / "out")
    assert "value: +7 7172 72 05 16\n" in (tmp_path / "out" / "t.yaml").read_text()


def test_an_invalid_file_imports_nothing_and_leaves_the_database_untouched(db, tmp_path):
    import_paths([write(tmp_path, "good.yaml", VALID)])
    before = counts(db)
    bad = write(tmp_path, "bad.yaml", VALID.replace("test-ministry", "other-ministry")
                .replace("test-minister", "other-minister").replace("first-minister", "nobody")
                .replace("- id: nobody", "- id: someone-else"))
    edited = write(tmp_path, "good.yaml", VALID.replace("Ministry of Tests", "Renamed"))
    with pytest.raises(DataFileError) as error:
        import_paths([edited, bad])
    assert messages(error.value.problems) == [
        f"{bad}:19: organizations[0].posts[0].holders[0].person: unknown person 'nobody' "
        "(add them under 'people')"]
    assert counts(db) == before
    assert db.session.scalar(select(Organization.name).where(Organization.slug == "test-ministry")) \
        == "Ministry of Tests"


def test_every_validation_error_is_listed_with_file_line_and_field(tmp_path):
    bad = write(tmp_path, "bad.yaml", """\
        organizations:
        - id: Bad Id
          name: Ministry
          kind: ministry
          country: XX
          parent: no-such-org
          source: test
          colour: blue
          contacts:
          - type: fax
            value: +7 123
            source: test
          - type: email
            value: not-an-email
            source: test
          - type: address
            address:
              street_address: 1 Main St
              city: Astana
              postal_code: '1234'
              country_code: KZ
            source: test
          - type: address
            address:
              street_address: 1 Main St
              city: Nowhere
              country_code: QQ
            source: test
          - type: web
            value: ftp://example.org
            source: test
          - type: pigeon
            value: coo
            source: test
          posts:
          - id: a-post
            label: A post
            preferred_language: Russian
            source: test
            holders:
            - person: someone
              start: 2010-01-01
              end: 2015-12-31
              source: test
            - person: someone
              start: 2015-06-01
              source: test
            - person: someone
              start: 2020-02-30
              source: test
        people:
        - id: someone
          name: Someone
          source: test
        """)
    problems = messages(check_paths([bad]))
    f = str(bad)
    expected = [
        f"{f}:2: organizations[0].id: 'Bad Id' is not an id: use up to 80 lower-case letters, digits "
        "and single dashes, such as kz-general-prosecutor",
        f"{f}:5: organizations[0].country: unknown country 'XX' (an ISO 3166 code such as KZ, "
        "or international)",
        f"{f}:8: organizations[0].colour: unknown field (expected one of: id, name, abbreviation, kind, "
        "country, parent, source, notes, translations, contacts, posts)",
        f"{f}:11: organizations[0].contacts[0].value: '+7 123' is not a valid number for its country code",
        f"{f}:14: organizations[0].contacts[1].value: 'not-an-email' is not a valid e-mail address",
        f"{f}:20: organizations[0].contacts[2].address.postal_code: not a valid address for KZ: "
        "postal_code is invalid",
        f"{f}:27: organizations[0].contacts[3].address.country_code: unknown country 'QQ'",
        f"{f}:30: organizations[0].contacts[4].value: 'ftp://example.org' is not a web address",
        f"{f}:32: organizations[0].contacts[5].type: must be one of address, fax, phone, email, web "
        "(got 'pigeon')",
        f"{f}:38: organizations[0].posts[0].preferred_language: 'Russian' is not a language Appeal Desk "
        "writes letters in (one of: en, ru, kk, fr)",
        f"{f}:49: organizations[0].posts[0].holders[2].start: '2020-02-30' is not a date (YYYY-MM-DD)",
    ]
    for message in expected:
        assert any(p.startswith(message) for p in problems), (message, problems)
    assert len(problems) == len(expected), problems


def test_a_date_the_calendar_lacks_is_reported_with_its_line(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("end: 2015-12-31", "end: 2015-02-30"))
    assert messages(check_paths([bad])) == [
        f"{bad}:21: organizations[0].posts[0].holders[0].end: '2015-02-30' is not a date (YYYY-MM-DD)"]


def test_a_text_date_that_is_not_a_date_is_an_error(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("start: 2010-01-01", "start: last spring"))
    assert messages(check_paths([bad])) == [
        f"{bad}:20: organizations[0].posts[0].holders[0].start: 'last spring' is not a date (YYYY-MM-DD)"]


def test_an_end_before_the_start_is_an_error(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("end: 2015-12-31", "end: 2009-12-31"))
    assert messages(check_paths([bad])) == [
        f"{bad}:21: organizations[0].posts[0].holders[0].end: ends (2009-12-31) before it starts "
        "(2010-01-01)"]


def test_duplicate_ids_across_files_name_both_places(tmp_path):
    one = write(tmp_path, "one.yaml", VALID)
    two = write(tmp_path, "two.yaml", VALID.replace("- id: first-minister", "- id: other-person"))
    problems = messages(check_paths([one, two]))
    assert f"{two}:2: organizations[0].id: duplicate organisation id 'test-ministry' (also at {one}:2)" \
        in problems
    assert f"{two}:13: organizations[0].posts[0].id: duplicate post id 'test-minister' (also at {one}:13)" \
        in problems


def test_a_missing_required_field_and_a_missing_source_are_errors(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("  name: Ministry of Tests\n", "")
                .replace("    last_verified: 2026-01-10\n    source: test\n",
                         "    last_verified: 2026-01-10\n"))
    problems = messages(check_paths([bad]))
    assert f"{bad}:2: organizations[0].name: is required" in problems
    assert f"{bad}:7: organizations[0].contacts[0].source: is required" in problems


def test_yaml_syntax_errors_and_missing_files_are_reported(tmp_path):
    broken = write(tmp_path, "broken.yaml", "organizations:\n- id: [unclosed\n")
    problems = messages(check_paths([broken, tmp_path / "missing.yaml"]))
    assert problems[0].startswith(f"{broken}:3: not valid YAML")
    assert problems[1] == f"{tmp_path / 'missing.yaml'}: no such file"


def test_cli_check_lists_errors_and_exits_1(app, tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("country: KZ", "country: XX"))
    result = app.test_cli_runner().invoke(args=["directory", "check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:5: organizations[0].country: unknown country 'XX'" in result.output
    good = app.test_cli_runner().invoke(args=["directory", "check", str(RECIPIENTS)])
    assert good.exit_code == 0, good.output
    assert "5 file(s) OK" in good.output


def test_cli_import_and_export(app, db, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["directory", "import", str(RECIPIENTS)])
    assert result.exit_code == 0, result.output
    assert "updated: 0" in result.output
    again = runner.invoke(args=["directory", "import", str(RECIPIENTS)])
    assert "created: 0, updated: 0, unchanged: 75" in again.output
    bad = write(tmp_path, "bad.yaml", VALID.replace("country: KZ", "country: XX"))
    failed = runner.invoke(args=["directory", "import", str(bad)])
    assert failed.exit_code == 1 and "Nothing was imported." in failed.output
    exported = runner.invoke(args=["directory", "export", str(tmp_path / "out")])
    assert exported.exit_code == 0
    assert (tmp_path / "out" / "kz.yaml").read_bytes() == (RECIPIENTS / "kz.yaml").read_bytes()


def test_the_complete_example_in_the_documentation_is_valid(tmp_path):
    text = (PROJECT_ROOT / "docs" / "directory.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path, "example.yaml", example)
    assert check_paths([path]) == []


def test_holders_out_of_date_order_are_an_error(tmp_path):
    swapped = VALID.replace("""    - person: first-minister
      start: 2010-01-01
      end: 2015-12-31
      source: test
""", """    - person: first-minister
      start: 2016-01-01
      source: test
    - person: first-minister
      start: 2010-01-01
      end: 2015-12-31
      source: test
""")
    bad = write(tmp_path, "bad.yaml", swapped)
    assert messages(check_paths([bad])) == [
        f"{bad}:22: organizations[0].posts[0].holders[1]: holders must be listed in date order "
        "(earliest first)"]


def test_the_remaining_shape_errors_are_reported(tmp_path):
    bad = write(tmp_path, "bad.yaml", """\
        organizations:
        - id: loop
          name: Loop
          kind: castle
          country: international
          parent: loop
          source: test
          contacts:
          - type: fax
            address:
              city: Astana
            source: test
          - type: phone
            source: test
          - just a string
          posts: not-a-list
        - id: other
          name: [not, text]
          kind: other
          country: KZ
          source: test
          posts:
          - id: p
            label: P
            collective: maybe
            source: test
        people: {}
        """)
    problems = messages(check_paths([bad]))
    f = str(bad)
    for expected in [
        f"{f}:4: organizations[0].kind: must be one of presidency, government, ministry, prosecutor, "
        "court, ombudsman, police, parliament, embassy, un, eu, osce, coe, international, other "
        "(got 'castle')",
        f"{f}:10: organizations[0].contacts[0].address: a fax contact takes 'value', not 'address'",
        f"{f}:13: organizations[0].contacts[1]: value is required for a phone contact",
        f"{f}:15: organizations[0].contacts[2]: must be a mapping of fields (name: value), not text",
        f"{f}:16: organizations[0].posts: must be a list, not text",
        f"{f}:18: organizations[1].name: must be text, not a list",
        f"{f}:25: organizations[1].posts[0].collective: must be true or false (got 'maybe')",
        f"{f}:27: people: must be a list, not a mapping of fields",
    ]:
        assert any(p.startswith(expected) for p in problems), (expected, problems)
    assert len(problems) == 8, problems


def test_a_file_that_is_not_a_mapping_or_not_utf8_is_reported(tmp_path):
    listing = write(tmp_path, "list.yaml", "- a\n- b\n")
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes("name: Türk\n".encode("latin-1"))
    problems = messages(check_paths([listing, binary]))
    assert problems[0] == f"{listing}:1: the file must be a mapping with 'organizations' and 'people'"
    assert problems[1].startswith(f"{binary}: not UTF-8 text")


def test_cli_import_runs_without_a_pushed_app_context(app, tmp_path):
    path = write(tmp_path, "t.yaml", VALID)
    result = app.test_cli_runner().invoke(args=["directory", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "created: 3, updated: 0, unchanged: 0" in result.output


def test_a_mapping_key_that_is_not_text_is_an_error_not_a_crash(tmp_path):
    text = VALID.replace("  kind: ministry\n", "  kind: ministry\n  ? [a, b]\n  : c\n")
    bad = write(tmp_path, "bad.yaml", text)
    problems = check_paths([bad])
    assert len(problems) == 1 and problems[0].file == str(bad)


def test_references_to_unknown_ids_suggest_the_closest_one(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("  source: test\n  contacts:", "  parent: test-ministri\n"
                                                   "  source: test\n  contacts:", 1)
                .replace("- person: first-minister", "- person: first-ministr"))
    assert messages(check_paths([bad])) == [
        f"{bad}:6: organizations[0].parent: unknown organisation 'test-ministri' "
        "(did you mean 'test-ministry'?)",
        f"{bad}:20: organizations[0].posts[0].holders[0].person: unknown person 'first-ministr' "
        "(add them under 'people') (did you mean 'first-minister'?)"]
    loop = write(tmp_path, "loop.yaml", VALID.replace(
        "  source: test\n  contacts:", "  parent: test-ministry\n  source: test\n  contacts:", 1))
    assert messages(check_paths([loop])) == [
        f"{loop}:6: organizations[0].parent: an organisation cannot be its own parent"]


def test_holder_terms_that_overlap_are_an_error(tmp_path):
    overlapping = VALID.replace("""      end: 2015-12-31
      source: test
""", """      end: 2015-12-31
      source: test
    - person: first-minister
      start: 2015-06-01
      source: test
""")
    bad = write(tmp_path, "bad.yaml", overlapping)
    assert messages(check_paths([bad])) == [
        f"{bad}:23: organizations[0].posts[0].holders[1]: holder dates overlap with holders[0] "
        "(first-minister, 2010-01-01 to 2015-12-31)"]


def test_yes_no_and_on_stay_text_where_text_is_expected(db, tmp_path):
    """YAML 1.1 reads NO (Norway), ON and yes as booleans; the files are read as text."""
    text = VALID.replace("  name: Ministry of Tests", "  name: 'ON'\n  abbreviation: NO") \
        .replace("  name: First Minister", "  name: yes")
    import_paths([write(tmp_path, "t.yaml", text)])
    org = db.session.scalar(select(Organization).where(Organization.slug == "test-ministry"))
    assert (org.name, org.abbreviation) == ("ON", "NO")
    assert db.session.scalar(select(Person.name)) == "yes"
    norway = VALID.replace("country: KZ", "country: NO").replace("+7 7172 72 05 16", "+47 22 24 90 90")
    assert check_paths([write(tmp_path, "no.yaml", norway)]) == []


def test_a_bool_where_true_or_false_is_expected_names_the_field(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("    source: test\n    holders:",
                                                    "    collective: yes\n    source: test\n    holders:"))
    assert messages(check_paths([bad])) == [
        f"{bad}:17: organizations[0].posts[0].collective: must be true or false (got 'yes')"]


def test_a_colon_in_unquoted_text_gets_a_hint_about_quotes(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("label: Minister of Tests",
                                                    "label: Minister: of Tests"))
    assert messages(check_paths([bad])) == [
        f"{bad}:14: not valid YAML: mapping values are not allowed here (a ': ' here starts a new "
        "field; if this value is text containing a colon, put the whole value in quotes, e.g. "
        "title: 'Kazakhstan: free him')"]


def test_a_field_given_twice_is_an_error(tmp_path):
    bad = write(tmp_path, "bad.yaml",
                VALID.replace("  kind: ministry\n", "  kind: ministry\n  kind: court\n"))
    assert messages(check_paths([bad])) == [f"{bad}:5: kind is given twice (also on line 4)"]


def test_an_unsupported_preferred_language_is_refused_with_a_suggestion(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("preferred_language: ru", "preferred_language: de"))
    assert messages(check_paths([bad])) == [
        f"{bad}:16: organizations[0].posts[0].preferred_language: 'de' is not a language Appeal Desk "
        "writes letters in (one of: en, ru, kk, fr)"]
    typo = write(tmp_path, "typo.yaml", VALID.replace("preferred_language: ru", "preferred_language: rus"))
    assert messages(check_paths([typo]))[0].endswith("(one of: en, ru, kk, fr) (did you mean 'ru'?)")


def test_an_unknown_field_suggests_the_field_meant(tmp_path):
    bad = write(tmp_path, "bad.yaml",
                VALID.replace("    salutation: Dear Minister", "    salutaton: Dear Minister"))
    assert messages(check_paths([bad])) == [
        f"{bad}:15: organizations[0].posts[0].salutaton: unknown field (expected one of: id, label, "
        "salutation, preferred_language, collective, source, notes, translations, holders, contacts) "
        "(did you mean 'salutation'?)"]


INSTITUTION = """\
  - type: address
    address:
      company_name: U.S. House of Representatives
      city: Washington
      country_area: DC
      postal_code: '20515'
      country_code: US
    source: test
"""


def test_an_institutional_address_may_leave_out_the_street_when_it_has_a_postal_code(db, tmp_path):
    path = write(tmp_path, "us.yaml", VALID.replace("  posts:\n", INSTITUTION + "  posts:\n", 1))
    import_paths([path])
    contact = db.session.scalar(select(ContactDetail).where(ContactDetail.type == "address"))
    assert contact.address == {"company_name": "U.S. House of Representatives", "city": "Washington",
                               "country_area": "DC", "postal_code": "20515", "country_code": "US"}
    export_directory(tmp_path / "out")
    assert (tmp_path / "out" / "us.yaml").read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_an_address_without_street_or_postal_code_is_still_refused(tmp_path):
    bad = write(tmp_path, "bad.yaml", VALID.replace("  posts:\n", INSTITUTION.replace(
        "      postal_code: '20515'\n", "") + "  posts:\n", 1))
    assert messages(check_paths([bad])) == [
        f"{bad}:13: organizations[0].contacts[1].address: not a valid address for US: postal_code is "
        "required, street_address is required"]


def test_a_file_may_not_take_over_ids_another_file_owns(app, db, tmp_path):
    one = write(tmp_path, "one.yaml", VALID)
    import_paths([one])
    other = tmp_path / "other"
    other.mkdir()
    two = write(other, "two.yaml", VALID.replace("Ministry of Tests", "Ministry of Other Tests"))
    before = counts(db)
    with pytest.raises(DataFileError) as error:
        import_paths([two])
    assert messages(error.value.problems) == [
        f"{two}:2: organizations[0].id: organisation 'test-ministry' belongs to one.yaml, not to "
        "two.yaml; use another id here, or import with --take-over to move it to two.yaml",
        f"{two}:13: organizations[0].posts[0].id: post 'test-minister' belongs to one.yaml, not to "
        "two.yaml; use another id here, or import with --take-over to move it to two.yaml",
        f"{two}:24: people[0].id: person 'first-minister' belongs to one.yaml, not to two.yaml; use "
        "another id here, or import with --take-over to move it to two.yaml"]
    assert counts(db) == before
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["directory", "check", str(two)])
    assert checked.exit_code == 1 and "belongs to one.yaml" in checked.output
    refused = runner.invoke(args=["directory", "import", str(two)])
    assert refused.exit_code == 1 and "Nothing was imported." in refused.output
    taken = runner.invoke(args=["directory", "import", "--take-over", str(two)])
    assert taken.exit_code == 0, taken.output
    org = db.session.scalar(select(Organization).where(Organization.slug == "test-ministry"))
    db.session.refresh(org)
    assert (org.file_group, org.name) == ("two", "Ministry of Other Tests")


def test_ids_may_move_between_files_imported_together(db, tmp_path):
    one = write(tmp_path, "one.yaml", VALID)
    import_paths([one])
    two = write(tmp_path, "two.yaml", VALID)
    one.write_text("organizations: []\npeople: []\n", encoding="utf-8")
    report = import_paths([one, two])
    assert report.updated == {"organization": 1, "person": 1}
    assert db.session.scalar(select(Person.file_group)) == "two"


def test_a_number_without_country_code_is_read_as_one_of_the_organisations_country(db, tmp_path):
    import_paths([write(tmp_path, "t.yaml", VALID.replace("+7 7172 72 05 16", "8 7172 72 05 16"))])
    assert db.session.scalar(select(ContactDetail.value)) == "+77172720516"
