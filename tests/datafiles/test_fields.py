"""The shared field types: one slug rule for every file kind, dates, flags, languages."""

from __future__ import annotations

from datetime import date
from typing import get_args

import pytest
from pydantic import TypeAdapter, ValidationError

from app.datafiles.fields import PartialDate, Slug, flag, whole_number


def refusal(kind, value) -> str:  # noqa: ANN001
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(kind).validate_python(value)
    return str(caught.value.errors()[0]["ctx"]["error"])


@pytest.mark.parametrize("value", ["kz-president", "a", "osce-rfom-2", "x" * 80])
def test_ids_are_lower_case_words_joined_by_single_dashes(value):
    assert TypeAdapter(Slug).validate_python(value) == value


@pytest.mark.parametrize("value", ["Kz", "a--b", "-a", "a-", "a/b", "a.b", "x" * 81, "ü"])
def test_anything_else_is_not_an_id(value):
    assert "is not an id: use up to 80 lower-case letters, digits and single dashes" in refusal(Slug, value)


def test_the_same_slug_rule_holds_for_appeals_and_the_directory():
    from app.appeals.file_schema import AppealFile
    from app.directory.file_schema import Organization, Person, Post

    rule = list(get_args(Slug)[1:])
    for model, name in ((AppealFile, "slug"), (Organization, "id"), (Post, "id"), (Person, "id")):
        assert model.model_fields[name].metadata == rule, model


@pytest.mark.parametrize(("text", "expected"), [
    ("2017", (date(2017, 1, 1), "year")), ("2017-04", (date(2017, 4, 1), "month")),
    ("2017-04-09", (date(2017, 4, 9), "day"))])
def test_an_event_date_keeps_its_precision(text, expected):
    assert TypeAdapter(PartialDate).validate_python(text) == expected


@pytest.mark.parametrize("text", ["April 2017", "2017-4", "2017-02-30", "17", "2017-00"])
def test_other_event_dates_are_refused(text):
    assert refusal(PartialDate, text) == (f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD "
                                          "(2017, 2017-04 or 2017-04-09)")


def test_flags_are_true_or_false_only():
    adapter = TypeAdapter(flag(True))
    assert [adapter.validate_python(v) for v in ("true", "False", None)] == [True, False, True]
    assert refusal(flag(True), "yes") == "must be true or false (got 'yes')"


def test_whole_numbers_are_read_from_text():
    assert TypeAdapter(whole_number(1, 9)).validate_python("7") == 7
    assert refusal(whole_number(1, 9), "10") == "must be a whole number from 1 to 9"
    assert refusal(whole_number(1, 9), ["1"]) == "must be a single value, not a list"
