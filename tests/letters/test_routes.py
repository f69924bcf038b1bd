"""Coordinator downloads, the template editor, and the CLI."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader

from app.models import Appeal
from tests.conftest import csrf_token
from tests.letters.helpers import appeal_with_posts, translate


def test_downloads_need_a_coordinator_login(client, db):
    appeal_with_posts()
    response = client.get("/coordinator/letters/test-appeal/to/kz-minister-information.pdf")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_coordinator_downloads_a_recipient_letter_in_the_chosen_language(client, db, login):
    appeal = appeal_with_posts()
    login()
    url = "/coordinator/letters/test-appeal/to/kz-minister-information.pdf?language=ru"
    refused = client.get(url)  # no Russian text yet: a Russian frame around English is refused
    assert refused.status_code == 409 and "no complete text in &#39;ru&#39;" in refused.text
    translate(appeal)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Dauren Abayev" in text and "С уважением" in text
    assert client.get("/coordinator/letters/test-appeal/to/not-a-recipient.pdf").status_code == 404


def test_coordinator_downloads_batch_zip_and_labels(client, db, login):
    appeal_with_posts()
    login()
    page = client.get("/coordinator/letters/test-appeal/")
    assert page.status_code == 200 and "kz-minister-information" in page.get_data(as_text=True)
    archive = client.get("/coordinator/letters/test-appeal/batch.zip")
    assert zipfile.ZipFile(io.BytesIO(archive.data)).namelist() == ["kz-minister-information.pdf"]
    assert client.get("/coordinator/letters/test-appeal/batch.pdf").mimetype == "application/pdf"
    labels = client.get("/coordinator/letters/test-appeal/batch.csv")
    assert labels.mimetype == "text/csv" and "kz-minister-information" in labels.get_data(as_text=True)


def test_paused_appeal_downloads_are_refused_with_a_message(client, db, login):
    appeal_with_posts(state="paused")
    login()
    for url in ("/coordinator/letters/test-appeal/batch.pdf",
                "/coordinator/letters/test-appeal/to/kz-minister-information.pdf"):
        response = client.get(url)
        assert response.status_code == 409
        assert "is paused" in response.get_data(as_text=True)


def test_other_groups_appeal_is_not_found(client, db, login):
    from tests.builders import make_group

    appeal_with_posts()
    login(group=make_group(slug="other", name="Other group"))
    assert client.get("/coordinator/letters/test-appeal/batch.pdf").status_code == 404


def _editor_post(client, **data):
    page = client.get("/coordinator/letters/test-appeal/template")
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "language": "en", "subject": "",
            "body": ""}
    form.update(data)
    return client.post("/coordinator/letters/test-appeal/template", data=form)


def test_editor_preview_shows_the_rendered_body_escaped(client, db, login):
    appeal_with_posts()
    login()
    response = _editor_post(client, preview="Preview",
                            body="<p>Dear {{ holder.name }}</p><script>x()</script>")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<p>Dear Dauren Abayev</p>" in html and "<script>x()</script>" not in html


def test_editor_shows_the_error_line_and_keeps_the_saved_body(client, db, login):
    appeal = appeal_with_posts()
    appeal.letter_body = "<p>Kept</p>"
    db.session.commit()
    login()
    response = _editor_post(client, save="Save", body="<p>One</p>\n{{ ''.__class__.__mro__ }}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "on line 2" in html and "not allowed" in html and "Traceback" not in html
    assert "&lt;class" not in html
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).letter_body == "<p>Kept</p>"


def test_editor_saves_a_valid_body(client, db, login):
    appeal = appeal_with_posts()
    login()
    response = _editor_post(client, save="Save", body="<p>New body for {{ post.label }}</p>",
                            subject="Free him", language="ru")
    assert response.status_code == 200 and "was saved" in response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Appeal, appeal.id)
    assert stored.letter_body == "<p>New body for {{ post.label }}</p>"
    assert (stored.letter_language, stored.letter_subject) == ("ru", "Free him")


def test_editor_post_without_csrf_token_is_refused(client, db, login):
    appeal = appeal_with_posts()
    login()
    response = client.post("/coordinator/letters/test-appeal/template",
                           data={"body": "<p>x</p>", "language": "en", "save": "Save"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).letter_body is None


def test_cli_renders_letters_and_a_batch(app, db, tmp_path):
    appeal_with_posts()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["letters", "render", "test-appeal", "--out", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    assert "1 letter written to" in result.output
    assert (tmp_path / "one" / "kz-minister-information.pdf").read_bytes().startswith(b"%PDF")
    result = runner.invoke(args=["letters", "render", "test-appeal", "--out", str(tmp_path / "b"),
                                 "--batch"])
    assert result.exit_code == 0, result.output
    assert "1 letter, 0 fax cover sheets, 2 pages" in result.output
    assert {p.name for p in (tmp_path / "b").iterdir()} == {
        "test-appeal-letters.pdf", "test-appeal-letters.zip", "test-appeal-letters-labels.csv"}


def test_cli_refuses_a_paused_appeal_and_an_unknown_one(app, db, tmp_path):
    appeal_with_posts(state="paused")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["letters", "render", "test-appeal", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "is paused" in result.output
    result = runner.invoke(args=["letters", "render", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "There is no appeal 'nope'" in result.output


def test_editor_preview_of_an_empty_body_shows_the_bundled_default(client, db, login):
    appeal = appeal_with_posts()
    appeal.letter_body = "<p>Saved custom body</p>"
    db.session.commit()
    login()
    html = _editor_post(client, preview="Preview", body="").get_data(as_text=True)
    assert "We thank you for your attention" in html and "Saved custom body" not in html.split(
        "Preview (first recipient)")[1]


def test_editor_speaks_the_coordinators_language(client, db, login):
    """The letter template page was English whatever the language chosen, errors included."""
    appeal_with_posts()
    login()
    client.get("/?lang=ru")
    html = client.get("/coordinator/letters/test-appeal/template").get_data(as_text=True)
    for english in ("Letter template", "Letters of this appeal", "The body is a Jinja template",
                    "Subject line", "Default letter language", "Letter body (Jinja",
                    'value="Preview"', 'value="Save"'):
        assert english not in html, english
    assert 'value="Предпросмотр"' in html and 'value="Сохранить"' in html
    failed = _editor_post(client, save="Сохранить", body="<p>One</p>\n{{ ''.__class__.__mro__ }}")
    text = failed.get_data(as_text=True)
    assert "Ошибка в шаблоне в строке 2" in text and "Template error" not in text
