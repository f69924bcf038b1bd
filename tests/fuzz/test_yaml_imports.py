"""Hostile YAML files for `flask appeals import` and `flask directory check/import`.

Valid files are mutated (a random field replaced by a hostile value: wrong type, control
characters, RTL and combining marks, huge strings, deep nesting) and raw junk is thrown in:
the commands never crash with a traceback, every refusal names the file (and line when there
is one), and a refused file stores nothing.
"""

from __future__ import annotations

import time

import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Appeal, Organization, Person, Post

APPEAL = {
    "slug": "fuzz-appeal", "title": "Free the journalist", "state": "open",
    "summary": "A journalist is on trial.", "paused_notice": None, "country": "KZ", "court": None,
    "organisation": None, "letter": {"subject": None, "language": "en", "body": None},
    "people": [{"name": "Aigul Utepova", "role": "journalist", "status": "on_trial",
                "description": ""}],
    "charges": [], "events": [], "sources": [{"number": 1, "title": "RFE/RL", "url": "https://example.org/a"}],
    "demands": [{"number": 1, "authority": "the Minister", "post": None, "text": "Release her."}],
    "recipients": [], "body": "The **case**.",
}
DIRECTORY = {
    "organizations": [{
        "id": "kz-fuzz-org", "name": "Fuzz Ministry", "kind": "ministry", "country": "KZ",
        "source": "test", "contacts": [{"type": "fax", "value": "+7 7172 74 05 48", "source": "t"}],
        "posts": [{"id": "kz-fuzz-post", "label": "Minister", "source": "test",
                   "holders": [{"person": "fuzz-person", "start": "2020-01-01", "source": "t"}]}],
    }],
    "people": [{"id": "fuzz-person", "name": "Test Person", "source": "test"}],
}
HOSTILE = st.one_of(
    st.sampled_from([None, 0, -1, 10**30, 1.5, True, [], {}, [[[[[]]]]], {"a": {"b": {"c": None}}},
                     "", "\r\nBcc: x@example.org", "\x07", "\u202eevil", "مريم", "Z̴̢a̵l̶g̷o", "👩🏽‍⚖️",
                     "../../etc/passwd", "x" * 100_000, "=cmd|' /C calc'!A0", "2020-02-30",
                     "not-a-slug!", "KZ" * 50, "<script>", "https://", "+0", "null"]),
    st.text(max_size=40), st.integers(), st.lists(st.text(max_size=5), max_size=3),
)


def _paths(node, prefix=()):
    """Every path to a value in a nested dict/list."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _mutated(base: dict, path: tuple, value) -> dict:
    import copy

    doc = copy.deepcopy(base)
    if not path:
        return value
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


APPEAL_PATHS = list(_paths(APPEAL))
DIRECTORY_PATHS = list(_paths(DIRECTORY))


def _counts(app):
    with app.app_context():
        return tuple(_db.session.scalar(select(func.count()).select_from(m))
                     for m in (Appeal, Organization, Post, Person))


def _dump(doc) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _check_refusal(result, path, before, after) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert path.name in result.output, result.output[:500]  # names the file
        assert after == before, "a refused file changed the database"


@given(path=st.sampled_from(APPEAL_PATHS), value=HOSTILE)
@example(path=("title",), value="Free him\r\nBcc: everyone@example.org")
@example(path=("slug",), value="../../etc/passwd")
@example(path=("demands",), value=[{"number": 1}] * 3)
def test_appeals_import_of_a_mutated_file_never_crashes(app, tmp_path, path, value):
    file = tmp_path / "appeal.yaml"
    file.write_text(_dump(_mutated(APPEAL, path, value)), encoding="utf-8")
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["appeals", "import", str(file)])
    _check_refusal(result, file, before, _counts(app))
    with app.app_context():  # the next example starts from an empty table
        _db.session.execute(Appeal.__table__.delete())
        _db.session.commit()


@given(text=st.one_of(st.text(max_size=300), st.sampled_from([
    "", "---\n...\n", "[", "{a: 1", "- - - -", "!!python/object:os.system ['echo pwned']",
    "slug: !!binary aGVsbG8=", "\ufeffslug: bom", "a: &a [1]\nb: *a\n" * 3, "\x00\x01\x02",
    "slug: x\nslug: y\n", "? [a, b]\n: c\n",
])))
def test_appeals_import_of_junk_never_crashes(app, tmp_path, text):
    file = tmp_path / "junk.yaml"
    file.write_text(text, encoding="utf-8", errors="surrogatepass") if "\ud800" not in text else None
    if not file.exists():
        return
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["appeals", "import", str(file)])
    _check_refusal(result, file, before, _counts(app))


def test_appeals_import_of_an_alias_bomb_is_refused_quickly(app, tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    file = tmp_path / "bomb.yaml"
    file.write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["appeals", "import", str(file)])
    assert time.monotonic() - started < 10
    assert result.exit_code != 0 and "bomb.yaml" in result.output
    assert "Traceback" not in result.output


@given(path=st.sampled_from(DIRECTORY_PATHS), value=HOSTILE)
@example(path=("organizations", 0, "id"), value="../../etc")
@example(path=("organizations", 0, "name"), value="Ministry\r\nBcc: x@example.org")
@example(path=("people", 0, "name"), value="مريم 👩🏽‍⚖️ Z̴̢a̵l̶g̷o")
def test_directory_check_and_import_of_a_mutated_file_never_crash(app, tmp_path, path, value):
    file = tmp_path / "fuzz.yaml"
    file.write_text(_dump(_mutated(DIRECTORY, path, value)), encoding="utf-8")
    runner = app.test_cli_runner()
    before = _counts(app)
    checked = runner.invoke(args=["directory", "check", str(file)])
    _check_refusal(checked, file, before, _counts(app))
    imported = runner.invoke(args=["directory", "import", str(file)])
    _check_refusal(imported, file, before, _counts(app))
    if checked.exit_code != 0:
        assert imported.exit_code != 0, "import accepted what check refused"
    with app.app_context():
        for model in (Post, Organization, Person):
            _db.session.execute(model.__table__.delete())
        _db.session.commit()


def test_valid_fuzz_bases_are_accepted(app, tmp_path):
    """The files the fuzz mutates are valid, so a refusal above is due to the mutation."""
    appeal = tmp_path / "appeal.yaml"
    appeal.write_text(_dump(APPEAL), encoding="utf-8")
    directory = tmp_path / "fuzz.yaml"
    directory.write_text(_dump(DIRECTORY), encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["directory", "check", str(directory)]).exit_code == 0
    result = runner.invoke(args=["appeals", "import", str(appeal)])
    assert result.exit_code == 0, result.output
