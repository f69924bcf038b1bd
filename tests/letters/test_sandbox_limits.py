"""Hard time and memory limits on coordinator templates (issue 11, item 3).

Each attack of the hostile tester is refused with a clear message naming the template line or
the limit, in the editor as a form error (never a 500), and the next render works again.
"""

from __future__ import annotations

import time

import pytest

from app.template_sandbox import process as sandbox_process
from app.template_sandbox.environment import LetterTemplateError
from app.template_sandbox.process import render_isolated, render_one
from tests.conftest import csrf_token
from tests.letters.helpers import appeal_with_posts

TEN_K = "{% set s = 'x' * 10000 %}"
ATTACKS = {
    "nested loops": TEN_K + "{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}"
                            "{% endfor %}{% endfor %}",
    "ljust": "{{ 'a'.ljust(10**9) }}",
    "replace filter": "{{ ('x' * 10000)|replace('', 'b' * 10000) }}",
    "replace method": "{{ ('x' * 10000).replace('', 'b' * 10000) }}",
    "join filter": "{{ range(10000)|join('b' * 10000) }}",
    "join method": "{{ ('b' * 10000).join(range(10000)|map('string')|list) }}",
    "center": "{{ 'a'.center(100000000) }}",
    "expandtabs": "{{ ('\t' * 10000).expandtabs(10000) }}",
    "percent format": "{{ '%099999999d' % 1 }}",
    "percent star": "{{ '%*d' % (99999999, 1) }}",
    "deep expression": "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
    "doubling concatenation": "{% set a = 'x' * 10000 %}" + "{% set a = a ~ a ~ a %}" * 14
                              + "{{ a|length }}",
    "huge power": "{{ ((10**64)**64)**64 }}",
    "batch fill": "{{ [1]|batch(10**9, 'x')|list }}",
    "huge string": "{{ 'x' * 10**9 }}",
    "huge range": "{% for i in range(10**9) %}{% endfor %}",
    "recursive macro": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    # str.translate is not measured before it runs: the child's memory cap stops it.
    "translate doubling": "{% set t = ('a' * 10000).translate({97: 'a' * 10000}) %}"
                          "{{ t.translate({97: 'a' * 100})|length }}",
}
MESSAGES = ("ran longer than", "longer than 2000000 characters", "format widths",
            "nested too deeply", "more memory than", "too large", "too long", "limited to")


@pytest.fixture
def short_budget(monkeypatch):
    """One second instead of five, so the loop attacks end quickly."""
    monkeypatch.setattr(sandbox_process, "MAX_RENDER_S", 1.0)


@pytest.mark.parametrize("name", ATTACKS)
def test_each_attack_is_stopped_with_a_clear_message(name, short_budget):
    started = time.monotonic()
    with pytest.raises(LetterTemplateError) as caught:
        render_one(ATTACKS[name], {})
    assert time.monotonic() - started < 4
    assert any(text in caught.value.message for text in MESSAGES), caught.value.message
    assert "Traceback" not in str(caught.value)
    assert render_one("Still {{ 'fine' }}", {}) == "Still fine"


def test_a_child_that_does_not_answer_in_time_is_killed_and_replaced(monkeypatch):
    # The parent's clock is the last line of defence (a long C call cannot be interrupted).
    monkeypatch.setattr(sandbox_process, "MAX_RENDER_S", 3.0)
    monkeypatch.setattr(sandbox_process, "KILL_GRACE_S", -2.5)
    started = time.monotonic()
    with pytest.raises(LetterTemplateError) as caught:
        render_one(ATTACKS["nested loops"], {})
    # Killed by the parent at 0.5 s, well before the child's own 3 s limit could end it; the
    # margin absorbs a loaded machine (it once took over 2 s at load 6.6 on 2 cores).
    assert time.monotonic() - started < 2.9
    assert "ran longer than" in caught.value.message
    assert render_one("{{ 1 + 1 }}", {}) == "2"


def test_many_bodies_render_in_one_call_with_their_own_variables():
    jobs = [("<p>{{ signer.name }}</p>", {"signer": {"name": f"N{i}"}}) for i in range(50)]
    assert render_isolated(jobs) == [f"<p>N{i}</p>" for i in range(50)]


def test_ordinary_string_operations_still_work():
    source = ("{{ 'ab'.ljust(4, '.') }}|{{ 'a\tb'.expandtabs(2) }}|{{ 'x-y'|replace('-', '+') }}|"
              "{{ [1, 2]|join(', ') }}|{{ '%05.1f' % 3.14159 }}|{{ 2 ** 10 }}|{{ 'a' + 'b' }}")
    assert render_one(source, {}) == "ab..|a b|x+y|1, 2|003.1|1024|ab"


def _editor_post(client, body: str):
    page = client.get("/coordinator/letters/test-appeal/template")
    return client.post("/coordinator/letters/test-appeal/template", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "language": "en", "subject": "",
        "body": body, "save": "Save"})


@pytest.mark.parametrize("name", ["nested loops", "ljust", "join filter", "deep expression",
                                  "doubling concatenation"])
def test_the_editor_shows_an_attack_as_a_form_error(client, db, login, short_budget, name):
    appeal_with_posts()
    login()
    response = _editor_post(client, ATTACKS[name])
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Template error" in html and "Nothing was saved" in html
    assert any(text in html for text in MESSAGES)


def test_under_gunicorn_an_attack_is_a_form_error_and_the_worker_lives(gunicorn_server, db):
    """The sandbox process started from a real gunicorn worker (production mode)."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    from app.auth.service import create_user

    appeal_with_posts()
    create_user("live@example.org", "correct horse battery", role="admin", group=None)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(path: str, fields: dict) -> tuple[int, str]:
        page = opener.open(gunicorn_server.url + path).read().decode()
        data = urllib.parse.urlencode({"csrf_token": csrf_token(page), **fields}).encode()
        try:
            with opener.open(gunicorn_server.url + path, data=data) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    post("/login", {"email": "live@example.org", "password": "correct horse battery"})
    editor = "/coordinator/letters/test-appeal/template"
    status, html = post(editor, {"language": "en", "subject": "", "save": "Save",
                                 "body": ATTACKS["deep expression"]})
    assert status == 400 and "nested too deeply" in html
    status, html = post(editor, {"language": "en", "subject": "", "preview": "Preview",
                                 "body": "<p>Dear {{ holder.name }}</p>"})
    assert status == 200 and "Dear Dauren Abayev" in html
