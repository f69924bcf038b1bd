"""The public page serves the text rendered when it was saved (issue 11, item 4).

An anonymous view never runs the coordinator's template: a slow text costs the coordinator's
save, not a worker per visitor. A text that cannot be rendered (or goes over the sandbox's
limits) is a form error when saving and leaves the stored statement as it was.
"""

from __future__ import annotations

from app.letters import render as letters_render
from app.models.statement import Statement
from app.template_sandbox import process as sandbox_process
from tests.statements.helpers import make_statement
from tests.statements.test_coordinator import statement_form

SLOW = ("{% set s = 'x' * 10000 %}{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}"
        "{% endfor %}{% endfor %}")


def forbid_rendering(monkeypatch) -> None:  # noqa: ANN001
    """Any render of a coordinator template from here on fails the test."""
    def refuse(jobs):  # noqa: ANN001
        raise AssertionError(f"a coordinator template was rendered: {jobs[0][0][:40]!r}")

    monkeypatch.setattr(letters_render, "render_isolated", refuse)
    monkeypatch.setattr(sandbox_process, "render_isolated", refuse)


def test_the_public_page_serves_the_stored_text_without_rendering(client, db, monkeypatch):
    statement = make_statement()
    forbid_rendering(monkeypatch)
    assert statement.text_html and "Dear Minister" in statement.text_html
    for _visit in range(3):
        page = client.get(f"/statements/{statement.slug}")
        assert page.status_code == 200
        assert "Dear Minister" in page.get_data(as_text=True)


def test_saving_renders_the_text_and_the_public_page_shows_the_new_one(client, db, login):
    statement = make_statement()
    login()
    to_ids = [str(r.post_id) for r in statement.recipients if r.role == "to"]
    response = statement_form(client, f"/coordinator/statements/{statement.slug}/edit",
                              slug=statement.slug, to_posts=to_ids,
                              text="<p>New words to {{ recipient.name }}.</p>")
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(Statement, statement.id)
    assert "New words to" in stored.text_html
    assert "New words to" in client.get(f"/statements/{statement.slug}").get_data(as_text=True)


def test_a_slow_text_is_a_form_error_and_nothing_is_lost(client, db, login, monkeypatch):
    monkeypatch.setattr(sandbox_process, "MAX_RENDER_S", 1.0)
    statement = make_statement()
    before = (statement.text, statement.text_html)
    login()
    to_ids = [str(r.post_id) for r in statement.recipients if r.role == "to"]
    response = statement_form(client, f"/coordinator/statements/{statement.slug}/edit",
                              slug=statement.slug, to_posts=to_ids, text=SLOW)
    assert response.status_code == 400
    assert "ran longer than" in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Statement, statement.id)
    assert (stored.text, stored.text_html) == before


def test_render_texts_command_renders_statements_saved_before_the_upgrade(app, db):
    statement = make_statement()
    statement.text_html = None
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["statements", "render-texts"])
    assert result.exit_code == 0 and f"{statement.slug}: rendered" in result.output
    db.session.expire_all()
    assert "Dear Minister" in db.session.get(Statement, statement.id).text_html


def test_the_public_text_keeps_no_image_or_style_that_would_load_from_another_host(
        client, db, login):
    """The page makes no request to another host, whatever HTML the coordinator's text holds
    (the CSP would block it in a browser; the page must not ask in the first place)."""
    statement = make_statement()
    login()
    to_ids = [str(r.post_id) for r in statement.recipients if r.role == "to"]
    response = statement_form(
        client, f"/coordinator/statements/{statement.slug}/edit", slug=statement.slug,
        to_posts=to_ids,
        text='<p>Free him <img src="https://tracker.example/p.png" alt="x"></p>'
             '<p style="background: url(https://tracker.example/bg.png)">now</p>'
             '<p><a href="https://adilsoz.kz/">Adil Soz</a></p>')
    assert response.status_code == 303
    page = client.get(f"/statements/{statement.slug}").get_data(as_text=True)
    assert "Free him" in page and "now" in page
    assert "tracker.example" not in page and "<img" not in page
    assert 'href="https://adilsoz.kz/"' in page  # a link is not a request; it stays
