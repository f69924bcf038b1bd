"""Coordinators create and edit statements, change their state, and use the CLI."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader
from sqlalchemy import select

from app.models.statement import Statement
from app.statements import moderation
from tests.builders import make_appeal, make_post
from tests.conftest import csrf_token
from tests.statements.helpers import TEXT, make_statement, sign_and_confirm


def statement_form(client, url: str, **overrides):
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "title": "Release Batyrbekov", "slug": "batyrbekov",
            "intro": "Adil Soz asks for your support.", "text": TEXT,
            "deadline": "2019-11-06T12:00", **overrides}
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def test_coordinator_creates_a_statement_with_to_and_cc_recipients(client, db, login):
    minister = make_post()
    prosecutor = make_post(slug="kz-general-prosecutor", label="General Prosecutor")
    appeal = make_appeal(posts=[minister])
    login()
    page = client.get(f"/coordinator/statements/new?appeal={appeal.slug}").get_data(as_text=True)
    assert f'<option selected value="{minister.id}">' in page or f'value="{minister.id}" selected' in page
    response = statement_form(client, f"/coordinator/statements/new?appeal={appeal.slug}",
                              appeal=appeal.slug, to_posts=[str(minister.id)],
                              cc_posts=[str(prosecutor.id)], allow_individuals="y")
    assert response.status_code == 303, response.get_data(as_text=True)
    statement = db.session.scalar(select(Statement))
    assert (statement.slug, statement.state, statement.allow_individuals) == (
        "batyrbekov", "collecting", True)
    assert statement.deadline.isoformat() == "2019-11-06T12:00:00"
    assert [(r.post.slug, r.role) for r in statement.recipients] == [
        ("kz-minister-information", "to"), ("kz-general-prosecutor", "cc")]


def test_statement_form_errors_are_shown_next_to_their_fields(client, db, login):
    minister = make_post()
    appeal = make_appeal(posts=[minister])
    make_statement(slug="taken", appeal=appeal)
    login()
    response = statement_form(client, "/coordinator/statements/new", appeal=appeal.slug,
                              slug="taken", text="{% if %}", deadline="next tuesday",
                              to_posts=[str(minister.id)], cc_posts=[str(minister.id)], title="")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    expected = {"title": "give the statement a title", "slug": "already has this address",
                "text": "not a valid template", "deadline": "Not a valid datetime value",
                "cc_posts": "both To and Cc"}
    for field, message in expected.items():
        block = html.split(f'id="{field}"', 1)[1].split('<div class="field', 1)[0]
        assert f'id="{field}-error"' in block, field
        assert message in block, (field, block)
    assert db.session.scalar(select(Statement).where(Statement.slug == "batyrbekov")) is None


def test_text_error_names_the_line(client, db, login):
    minister = make_post()
    appeal = make_appeal(posts=[minister])
    login()
    response = statement_form(client, "/coordinator/statements/new", appeal=appeal.slug,
                              text="<p>fine</p>\n<p>{{ recipient.salutation </p>",
                              to_posts=[str(minister.id)])
    assert response.status_code == 400
    assert "line 2" in response.get_data(as_text=True).lower()


def test_editing_keeps_the_statement_and_its_signatures(client, db, login):
    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    login()
    to_ids = [str(r.post_id) for r in statement.recipients if r.role == "to"]
    response = statement_form(client, f"/coordinator/statements/{statement.slug}/edit",
                              slug=statement.slug, title="New title", to_posts=to_ids, deadline="")
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    stored = db.session.get(Statement, statement.id)
    assert (stored.title, stored.deadline, len(stored.recipients)) == ("New title", None, 1)
    assert signature.id


def test_close_then_mark_sent_then_reopen_is_refused(client, db, login):
    statement = make_statement()
    login()
    url = f"/coordinator/statements/{statement.slug}"
    for action, expected in (("close", "closed"), ("sent", "sent")):
        page = client.get(url).get_data(as_text=True)
        response = client.post(f"{url}/state", data={"csrf_token": csrf_token(page), "action": action})
        assert response.status_code == 303
        db.session.expire_all()
        assert db.session.get(Statement, statement.id).state == expected
    page = client.get(url).get_data(as_text=True)
    response = client.post(f"{url}/state", data={"csrf_token": csrf_token(page), "action": "reopen"})
    assert response.status_code == 409
    assert "cannot be reopened" in response.get_data(as_text=True)


def test_cli_exports_and_writes_one_letter_per_recipient(app, db, client, login, tmp_path):
    from app.models import User

    statement = make_statement()
    signature = sign_and_confirm(client, statement.slug)
    user = login()
    moderation.approve(signature, db.session.get(User, user.id))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["statements", "export", statement.slug, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.output)))[1][:3] == ["organisation", "Adil Soz", "Kazakhstan"]
    result = runner.invoke(args=["statements", "letters", statement.slug, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"{statement.slug}-kz-general-prosecutor.pdf",
                     f"{statement.slug}-kz-minister-information.pdf"]
    text = PdfReader(tmp_path / files[1]).pages[0].extract_text()
    assert "Adil Soz" in " ".join(text.split())
    result = runner.invoke(args=["statements", "export", "nope"])
    assert result.exit_code != 0 and "There is no statement 'nope'" in result.output
    result = runner.invoke(args=["statements", "list"])
    assert f"{statement.slug}\tcollecting" in result.output and "approved 1" in result.output


def test_text_that_fails_when_rendered_is_reported_to_the_coordinator_not_the_public(client, db, login):
    statement = make_statement()
    statement.text = "<p>{{ appeal.no_such_field }}</p>"  # stored without saving through the app
    db.session.commit()
    public = client.get(f"/statements/{statement.slug}")
    assert public.status_code == 200
    # The public page serves the text as last rendered on saving; the broken one never shows.
    assert "Dear Minister" in public.get_data(as_text=True)
    assert "no_such_field" not in public.get_data(as_text=True)
    login()
    page = client.get(f"/coordinator/statements/{statement.slug}").get_data(as_text=True)
    assert "The text cannot be rendered" in page and "no_such_field" in page
    link = statement.recipients[0]
    response = client.get(f"/coordinator/statements/{statement.slug}/letters/{link.id}.pdf")
    assert response.status_code == 303
    assert "cannot be rendered" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_purge_emails_forgets_addresses_of_statements_sent_long_ago(app, db, client):
    from datetime import timedelta

    from app.models import utcnow
    from app.models.statement import OrgSignature

    old = make_statement()
    sign_and_confirm(client, old.slug)
    recent = make_statement(slug="recent", appeal=old.appeal)
    sign_and_confirm(client, recent.slug, org_name="Article 19", org_website="article19.org",
                     contact_email="info@article19.org")
    old.state, old.sent_at = "sent", utcnow() - timedelta(days=100)
    recent.state, recent.sent_at = "sent", utcnow() - timedelta(days=10)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["statements", "purge-emails", "--days", "90"])
    assert result.exit_code == 0, result.output
    assert "removed 1 e-mail addresses" in result.output
    db.session.expire_all()
    emails = {s.org_name: s.contact_email for s in db.session.scalars(select(OrgSignature))}
    assert emails == {"Adil Soz": None, "Article 19": "info@article19.org"}


def test_appeal_page_links_to_its_statement_while_it_collects(client, db):
    statement = make_statement()
    page = client.get(f"/a/{statement.appeal.slug}").get_data(as_text=True)
    assert f'href="/statements/{statement.slug}"' in page
    statement.state = "closed"
    db.session.commit()
    page = client.get(f"/a/{statement.appeal.slug}").get_data(as_text=True)
    assert f'href="/statements/{statement.slug}"' not in page
