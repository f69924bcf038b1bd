"""The template sandbox: documented variables only, autoescaped, limited, clear errors."""

from __future__ import annotations

import pytest

from app.template_sandbox.environment import LetterTemplateError, render_user_template


def _error(source: str, context: dict | None = None) -> LetterTemplateError:
    with pytest.raises(LetterTemplateError) as caught:
        render_user_template(source, context or {})
    return caught.value


@pytest.mark.parametrize("source", [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{{ date.__class__.__init__.__globals__ }}",
])
def test_python_internals_are_refused_with_a_clear_message(source):
    error = _error(source, {"date": None})
    assert "not allowed" in error.message
    assert error.line == 1
    assert "<class" not in str(error) and "Traceback" not in str(error)


@pytest.mark.parametrize("source", [
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{% set ns = namespace(a=1) %}{{ ns }}",
    "{{ lipsum.__globals__ }}",
    "{{ self.__dict__ }}",
    "{% macro m() %}{% endmacro %}{{ m._environment }}",
    "{% for i in [1] %}{{ loop.__class__ }}{% endfor %}",
])
def test_jinja_globals_are_absent_and_template_objects_keep_their_internals(source):
    message = _error(source).message
    assert "not allowed" in message or "is undefined" in message, message
    assert "<class" not in message and "Traceback" not in message


def test_include_of_a_file_outside_letter_templates_is_a_template_error():
    error = _error("Hello\n{% include '/etc/passwd' %}")
    assert "no letter template named '/etc/passwd'" in error.message
    assert error.line == 2
    assert "root:" not in str(error)


def test_include_with_path_traversal_is_refused():
    assert "no letter template" in _error("{% include '../app/config.py' %}").message


def test_syntax_error_names_the_line():
    error = _error("<p>One</p>\n<p>Two</p>\n{% if %}\n")
    assert error.line == 3
    assert "syntax error" in error.message


def test_undefined_variable_lists_the_documented_ones():
    error = _error("{{ config }}")
    assert "'config' is undefined" in error.message
    assert "appeal, recipient, post, holder, signer, signatories, organisation, date" in error.message


def test_variables_outside_the_whitelist_cannot_be_passed():
    with pytest.raises(ValueError):
        render_user_template("{{ session }}", {"session": object()})


@pytest.mark.parametrize("source", ["{{ signer.name|safe }}", "{{ signer|pprint }}",
                                    "{{ signer.name|format(1) }}", "{{ 'x'|indent(99999999) }}"])
def test_filters_outside_the_list_are_refused(source):
    assert "unknown filter" in _error(source).message


def test_signer_name_with_markup_comes_out_as_text():
    class Signer:
        name = '<img src="file:///etc/passwd">'

    out = render_user_template("<p>{{ signer.name }}</p>", {"signer": Signer()})
    assert out == "<p>&lt;img src=&#34;file:///etc/passwd&#34;&gt;</p>"


@pytest.mark.parametrize("source", [
    "{{ 'x' * 100000 }}",
    "{{ 10 ** 100000 }}",
    "{% for i in range(100000) %}{% endfor %}",
    "{% for i in range(9999) %}{% for j in range(9999) %}{{ 'abcdefghij' }}{% endfor %}{% endfor %}",
])
def test_output_size_and_loops_are_limited(source):
    error = _error(source)
    assert "not allowed" in error.message


def test_documented_filters_work():
    from datetime import date

    class Recipient:
        language = "ru"

    class Signer:
        name = "Musagali Duambekov"
        message = "First line\nsecond <b>line</b>\n\nNext paragraph"

    out = render_user_template(
        "{{ date|format_date }}|{{ signer.name|initials }}|{{ signer.message|paragraphs }}",
        {"date": date(2019, 11, 1), "recipient": Recipient(), "signer": Signer()})
    assert out.startswith("1 ноября 2019")
    assert "|M. D.|" in out
    assert "<p>First line<br>second &lt;b&gt;line&lt;/b&gt;</p><p>Next paragraph</p>" in out


def test_a_template_that_runs_too_long_is_stopped(monkeypatch):
    import time

    from app.template_sandbox import environment as sandbox

    monkeypatch.setattr(sandbox, "MAX_RENDER_S", 0.2)
    start = time.monotonic()
    error = _error("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}")
    assert "ran longer than 0.2 seconds" in error.message
    assert time.monotonic() - start < 3
