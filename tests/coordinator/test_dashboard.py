"""The coordinator's dashboard, signature list and CSV export."""

from __future__ import annotations

import csv
import io
import re

from app.extensions import db as _db
from app.models import Signature
from tests.builders import key_upload, make_appeal, make_group, make_keyed_group, seal_as_signing_does
from tests.conftest import csrf_token


def add_signature(appeal, *, name="Aigerim", email="a@example.org", status="confirmed", **extra):
    signature = Signature(appeal_id=appeal.id, name=name, email=email, email_hash=email,
                          country="KZ", status=status, **extra)
    _db.session.add(signature)
    _db.session.commit()
    return signature


def test_dashboard_requires_login(client):
    response = client.get("/coordinator/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_dashboard_lists_confirmed_and_unconfirmed_counts(client, db, login):
    appeal = make_appeal()
    add_signature(appeal, email="1@example.org")
    add_signature(appeal, email="2@example.org", status="pending")
    add_signature(appeal, email="3@example.org", status="pending")
    login()
    html = client.get("/coordinator/").get_data(as_text=True)
    row = html.split(appeal.title, 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "2", "0"]


def test_appeal_page_lists_signatures_and_is_not_cached(client, db, login):
    appeal = make_appeal()
    add_signature(appeal, name="Nurlan Rakhmanov")
    login()
    response = client.get(f"/coordinator/appeals/{appeal.slug}")
    assert "Nurlan Rakhmanov" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def export(client, appeal, **form):
    page = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/signatures.csv",
                           data={"csrf_token": csrf_token(page), **form},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_csv_export_neutralises_formulas_and_leaves_out_emails_by_default(client, db, login):
    appeal = make_appeal()
    add_signature(appeal, name='=HYPERLINK("http://evil.example","click")', city="+cmd|' /C calc'!A0",
                  message="@SUM(1+1)", email="x@example.org")
    add_signature(appeal, name="-2+3", email="y@example.org")
    login()
    rows = export(client, appeal)
    header, first, second = rows
    assert "email" not in header
    assert first[header.index("name")] == '\'=HYPERLINK("http://evil.example","click")'
    assert first[header.index("city")].startswith("'+")
    assert first[header.index("message")] == "'@SUM(1+1)"
    assert second[header.index("name")] == "'-2+3"
    assert not any("@example.org" in cell for row in rows for cell in row)


def test_csv_export_includes_emails_only_when_asked_with_the_organisation_key(client, db, login):
    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    seal_as_signing_does(add_signature(appeal, email="x@example.org"))
    _db.session.commit()
    login(group=group)
    header, row = export(client, appeal, include_emails="y", key_file=key_upload(key))
    assert row[header.index("email")] == "x@example.org"


def test_export_without_csrf_token_is_refused(client, db, login):
    appeal = make_appeal()
    login()
    response = client.post(f"/coordinator/appeals/{appeal.slug}/signatures.csv")
    assert response.status_code == 400


def test_coordinator_of_another_group_cannot_see_the_appeal(client, db, login):
    theirs = make_group(slug="theirs", name="Their NGO")
    mine = make_group(slug="mine", name="My NGO")
    appeal = make_appeal(group=theirs)
    add_signature(appeal, name="Secret Signer")
    login(group=mine)
    assert appeal.title not in client.get("/coordinator/").get_data(as_text=True)
    assert client.get(f"/coordinator/appeals/{appeal.slug}").status_code == 404


def test_pausing_requires_a_notice_and_stops_signing(client, db, login):
    appeal = make_appeal()
    login()
    page = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    refused = client.post(f"/coordinator/appeals/{appeal.slug}/state",
                          data={"csrf_token": csrf_token(page), "state": "paused", "paused_notice": ""})
    assert refused.status_code == 400
    assert 'id="paused_notice-error"' in refused.get_data(as_text=True)
    done = client.post(f"/coordinator/appeals/{appeal.slug}/state",
                       data={"csrf_token": csrf_token(page), "state": "paused",
                             "paused_notice": "A hearing is on 3 December."})
    assert done.status_code == 303
    public = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    assert "A hearing is on 3 December." in public and 'name="email"' not in public


def test_outbox_shows_pending_messages_for_the_demo_without_mail_server(client, db, login):
    from app.outbox import queue_email

    queue_email(kind="confirmation", to="s@example.org", subject="Please confirm",
                body_text="Open http://127.0.0.1:5000/confirm/abc", sensitive=True)
    db.session.commit()
    login(role="admin")  # not production: an admin follows the demo from here
    html = client.get("/coordinator/outbox").get_data(as_text=True)
    assert "No MAIL_SERVER is set" in html
    assert "/confirm/abc" in html


def test_dashboard_names_the_state_in_the_coordinators_language(client, db, login):
    make_appeal()
    login()
    html = client.get("/coordinator/?lang=ru").get_data(as_text=True)
    assert '<span class="badge open">открыто</span>' in html  # was the code "open", in English


def test_appeal_page_names_a_signers_status_choices_and_country_in_words(client, db, login):
    """The signature table showed codes: "pending", "none", "count only", "KZ"."""
    appeal = make_appeal()
    signature = add_signature(appeal, name="Nurlan Rakhmanov", status="pending")
    login()
    page = client.get(f"/coordinator/appeals/{appeal.slug}?lang=ru").get_data(as_text=True)
    row = page.split("Nurlan Rakhmanov", 1)[1].split("</tr>", 1)[0]
    for words in ("Казахстан", "Ещё не подтверждены", "Не показывается на странице",
                  "Учитывается в письмах без имени"):
        assert words in row, words
    assert "pending" not in row and "count only" not in row
    delete = client.get(f"/coordinator/appeals/{appeal.slug}/signatures/{signature.id}/delete?lang=ru")
    assert "<dd>Ещё не подтверждены</dd>" in delete.get_data(as_text=True)
    assert "<dd>Казахстан</dd>" in delete.get_data(as_text=True)
