"""Reading data files: values stay text, every value keeps its line, every refusal is plain."""

from __future__ import annotations

import pytest

from app.datafiles.errors import DataFileError
from app.datafiles.loader import load_file, load_text


def refusal(text: str) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load_text(text, "f.yaml")
    return [str(p) for p in caught.value.problems]


def test_yaml_1_1_booleans_numbers_and_dates_stay_text():
    doc = load_text("a: NO\nb: yes\nc: 'on'\nd: 010000\ne: 1:20\nf: 2019-02-30\ng: ~\nh:\ni: null\n", "f")
    assert doc.data == {"a": "NO", "b": "yes", "c": "on", "d": "010000", "e": "1:20",
                        "f": "2019-02-30", "g": None, "h": None, "i": None}


def test_every_value_keeps_its_line():
    doc = load_text("people:\n- name: A\n  role: x\n- name: B\n", "f")
    assert [doc.line("people", 0), doc.line("people", 1, "name"), doc.line("people", 0, "nope")] == [2, 4, 2]


def test_anchors_and_aliases_are_refused():
    assert refusal("a: &x [1]\nb: *x\n") == ["f.yaml:2: anchors and aliases (& and *) are not allowed"]


def test_tags_are_refused():
    assert refusal("a: !!python/object/apply:os.system ['true']\n") == [
        "f.yaml:1: tags such as !!python/object/apply:os.system are not allowed; write the value without one"]
    assert refusal("a: !!int 3\n") == ["f.yaml:1: tags such as !!int are not allowed; write the value "
                                       "without one"]


def test_a_field_given_twice_names_both_lines():
    assert refusal("slug: a\ntitle: t\nslug: b\n") == ["f.yaml:3: slug is given twice (also on line 1)"]


def test_a_field_name_that_is_not_text_is_refused():
    assert refusal("? [a, b]\n: c\n") == ["f.yaml:1: a field name must be plain text"]


def test_a_control_character_is_refused_with_its_line():
    assert refusal("a: b\nc: d\x07\n") == [
        "f.yaml:2: contains a control character (#x0007) that a data file cannot hold"]


@pytest.mark.parametrize(("text", "expected"), [
    ("title: Kazakhstan: free him\n", "f.yaml:1: not valid YAML: mapping values are not allowed here "
     "(a ': ' here starts a new field; if this value is text containing a colon, put the whole value in "
     "quotes, e.g. title: 'Kazakhstan: free him')"),
    ("a:\n\tb: c\n", "f.yaml:2: not valid YAML: found character '\\t' that cannot start any token (a tab "
     "or a special character starts this value; indent with spaces, and put text starting with @, ` or % "
     "in quotes)"),
    ("a: 'open\n", "f.yaml:2: not valid YAML: found unexpected end of stream (a quoted text or a bracket "
     "is not closed)"),
    ("a: \"x\\q\"\n", "f.yaml:1: not valid YAML: found unknown escape character 'q' (a backslash in double "
     "quotes starts an escape; use single quotes)"),
    ("a:\n  - b\n - c\n", "f.yaml:3: not valid YAML: expected <block end>, but found '<block sequence "
     "start>' (the indentation of this line does not match the lines above)"),
])
def test_syntax_errors_come_with_a_hint(text, expected):
    assert refusal(text) == [expected]


def test_unreadable_files_are_named(tmp_path):
    latin = tmp_path / "latin1.yaml"
    latin.write_bytes("name: Türk\n".encode("latin-1"))
    for path, message in ((latin, "not UTF-8 text (invalid start byte); save the file as UTF-8"),
                          (tmp_path / "missing.yaml", "no such file")):
        with pytest.raises(DataFileError) as caught:
            load_file(path)
        assert [str(p) for p in caught.value.problems] == [f"{path}: {message}"]


def test_a_problem_is_always_one_line():
    from app.datafiles.errors import Problem

    problem = Problem("f.yaml", 3, "name", "'a\r\nBcc: x' is wrong")
    assert str(problem) == "f.yaml:3: name: 'a\\r\\nBcc: x' is wrong"
