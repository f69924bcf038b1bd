"""Suspect signatures, deleting a signer on request, purging addresses, and group scoping."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.models import Appeal, OutboxMessage, Signature, Token, utcnow
from app.models.enums import OutboxStatus, SignatureStatus
from app.outbox import queue_email
from app.signatures.identity import email_digest
from app.signatures.service import queue_confirmation
from tests.builders import make_appeal, make_group
from tests.conftest import csrf_token


def add_signature(db, appeal, email, *, status="pending", name="Aigerim Sultanova"):
    signature = Signature(appeal_id=appeal.id, name=name, email=email, email_hash=email_digest(email),
                          country="KZ", status=status,
                          confirmed_at=utcnow() if status == "confirmed" else None)
    db.session.add(signature)
    db.session.flush()
    if status == "confirmed":
        appeal.confirmed_count += 1
    db.session.commit()
    return signature


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_suspect_view_lists_suspects_and_release_sends_confirmations(client, db, login):
    login()
    appeal = make_appeal()
    a = add_signature(db, appeal, "a@example.org", status="suspect")
    b = add_signature(db, appeal, "b@example.org", status="suspect", name="Bot Bot")
    add_signature(db, appeal, "c@example.org", status="pending", name="Pending Person")
    page = client.get(f"/coordinator/appeals/{appeal.slug}/suspect")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Bot Bot" in html and "Pending Person" not in html
    assert page.headers["Cache-Control"] == "no-store"
    response = client.post(f"/coordinator/appeals/{appeal.slug}/suspect",
                           data={"csrf_token": csrf_token(html), "ids": [a.id], "release": "1"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Signature, a.id).status == SignatureStatus.PENDING
    assert db.session.get(Signature, b.id).status == SignatureStatus.SUSPECT
    assert db.session.scalars(select(OutboxMessage.to_addr)).all() == ["a@example.org"]
    assert db.session.get(Appeal, appeal.id).confirmed_count == 0  # counted only once confirmed


def test_drop_all_suspects_deletes_only_suspects(client, db, login):
    login()
    appeal = make_appeal()
    for i in range(3):
        add_signature(db, appeal, f"s{i}@example.org", status="suspect")
    keep = add_signature(db, appeal, "keep@example.org", status="confirmed")
    html = client.get(f"/coordinator/appeals/{appeal.slug}/suspect").get_data(as_text=True)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/suspect",
                           data={"csrf_token": csrf_token(html), "all_suspects": "y", "drop": "1"})
    assert response.status_code == 303
    assert db.session.scalars(select(Signature.id)).all() == [keep.id]
    assert count(db, OutboxMessage) == 0


def test_suspect_form_without_a_choice_names_the_field(client, db, login):
    login()
    appeal = make_appeal()
    add_signature(db, appeal, "s@example.org", status="suspect")
    html = client.get(f"/coordinator/appeals/{appeal.slug}/suspect").get_data(as_text=True)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/suspect",
                           data={"csrf_token": csrf_token(html), "release": "1"})
    assert response.status_code == 400
    assert "Tick at least one signature, or all of them." in response.get_data(as_text=True)
    assert count(db, Signature, Signature.status == "suspect") == 1


def test_delete_signer_on_request_removes_row_tokens_and_outbox_addresses(client, db, login, app):
    login()
    appeal = make_appeal()
    other_appeal = make_appeal(slug="other", posts=[])
    signer = add_signature(db, appeal, "Leaving+x@Example.org", status="confirmed")
    queue_confirmation(signer, appeal)  # a token and a pending e-mail
    sent = queue_email(kind="already_signed", to="leaving@example.org", subject="s",
                       body_text="hello Leaving", appeal_id=appeal.id)
    sent.status = OutboxStatus.SENT
    official = queue_email(kind="letter", to="minister@gov.kz", subject="Letter", body_text="...",
                           appeal_id=appeal.id)
    other = add_signature(db, other_appeal, "leaving@example.org", status="confirmed")
    db.session.commit()
    assert count(db, Token) == 1

    html = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/signatures/{signer.id}/delete",
                           data={"csrf_token": csrf_token(html), "confirm": "yes"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Signature, signer.id) is None
    assert db.session.get(Appeal, appeal.id).confirmed_count == 0
    assert count(db, Token) == 0
    rows = {m.id: m for m in db.session.scalars(select(OutboxMessage))}
    assert rows[sent.id].to_addr == "removed@invalid" and "Leaving" not in rows[sent.id].body_text
    assert rows[official.id].to_addr == "minister@gov.kz"
    assert len(rows) == 2  # the unsent confirmation is gone
    # The same person on another appeal is untouched.
    assert db.session.get(Signature, other.id) is not None
    assert db.session.get(Appeal, other_appeal.id).confirmed_count == 1


def test_delete_signer_of_another_appeal_is_not_found(client, db, login):
    login()
    appeal = make_appeal()
    other_appeal = make_appeal(slug="other", posts=[])
    signer = add_signature(db, other_appeal, "x@example.org")
    html = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/signatures/{signer.id}/delete",
                           data={"csrf_token": csrf_token(html), "confirm": "yes"})
    assert response.status_code == 404
    assert count(db, Signature) == 1


def test_purge_emails_after_retention_keeps_the_count(app, db):
    closed_long_ago = make_appeal(slug="closed-old", state="closed")
    closed_recently = make_appeal(slug="closed-new", state="closed", posts=[])
    still_open = make_appeal(slug="open", posts=[])
    for appeal in (closed_long_ago, closed_recently, still_open):
        add_signature(db, appeal, "a@example.org", status="confirmed")
        add_signature(db, appeal, "b@example.org", status="pending")
    queue_email(kind="already_signed", to="a@example.org", subject="s", body_text="b",
                appeal_id=closed_long_ago.id).status = OutboxStatus.SENT
    closed_long_ago.closed_at = utcnow() - timedelta(days=91)
    # Closed long ago but edited since (a typo in the title): the retention still counts from
    # closing; and an appeal edited long ago but closed recently is not purged.
    closed_long_ago.title = "Corrected title"
    closed_recently.updated_at = utcnow() - timedelta(days=200)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["admin", "purge-emails"])
    assert result.exit_code == 0, result.output
    assert "closed-old: 2 address(es) removed" in result.output
    db.session.expire_all()
    emails = {(s.appeal_id, s.email) for s in db.session.scalars(select(Signature))}
    assert (closed_long_ago.id, None) in emails
    assert not {e for a, e in emails if a == closed_long_ago.id} - {None}
    assert {e for a, e in emails if a == closed_recently.id} == {"a@example.org", "b@example.org"}
    assert {e for a, e in emails if a == still_open.id} == {"a@example.org", "b@example.org"}
    assert db.session.get(Appeal, closed_long_ago.id).confirmed_count == 1
    assert db.session.scalars(select(OutboxMessage.to_addr)).all() == ["removed@invalid"]


def test_closing_stamps_closed_at_and_reopening_clears_it(db):
    appeal = make_appeal(slug="to-close")
    assert appeal.closed_at is None
    appeal.state = "closed"
    db.session.commit()
    first = appeal.closed_at
    assert first is not None
    appeal.state = "closed"  # closed again (an import of the same file): the date stays
    db.session.commit()
    assert appeal.closed_at == first
    appeal.state = "open"
    db.session.commit()
    assert appeal.closed_at is None


def test_purge_emails_days_option_and_refusal_of_negative_days(app, db):
    appeal = make_appeal(state="closed")
    add_signature(db, appeal, "a@example.org")
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["admin", "purge-emails", "--days", "-1"])
    assert bad.exit_code != 0 and "--days" in bad.output
    ok = runner.invoke(args=["admin", "purge-emails", "--days", "0"])
    assert ok.exit_code == 0 and "1 address(es) removed from 1 closed appeal(s)" in ok.output


def test_coordinator_of_one_group_cannot_read_another_groups_signers(client, db, login):
    mine, theirs = make_group(slug="mine", name="Mine"), make_group(slug="theirs", name="Theirs")
    login(group=mine)
    own = make_appeal(slug="own", group=mine)
    foreign = make_appeal(slug="foreign", group=theirs, posts=[])
    add_signature(db, own, "own@example.org", name="Own Signer")
    secret = add_signature(db, foreign, "secret@example.org", name="Secret Signer", status="suspect")
    html = client.get(f"/coordinator/appeals/{own.slug}").get_data(as_text=True)
    token = csrf_token(html)
    for method, path, data in [
        ("get", f"/coordinator/appeals/{foreign.slug}", None),
        ("get", f"/coordinator/appeals/{foreign.slug}/suspect", None),
        ("post", f"/coordinator/appeals/{foreign.slug}/signatures.csv", {"csrf_token": token}),
        ("post", f"/coordinator/appeals/{foreign.slug}/suspect",
         {"csrf_token": token, "all_suspects": "y", "drop": "1"}),
        ("post", f"/coordinator/appeals/{foreign.slug}/signatures/{secret.id}/delete",
         {"csrf_token": token, "confirm": "yes"}),
        ("post", f"/coordinator/appeals/{own.slug}/signatures/{secret.id}/delete",
         {"csrf_token": token, "confirm": "yes"}),
        ("get", f"/coordinator/appeals/{foreign.slug}/signatures/{secret.id}/delete", None),
    ]:
        response = getattr(client, method)(path, data=data)
        assert response.status_code == 404, (path, response.status_code)
        assert "Secret Signer" not in response.get_data(as_text=True)
    dashboard = client.get("/coordinator/").get_data(as_text=True)
    assert "foreign" not in dashboard
    assert db.session.get(Signature, secret.id) is not None


def test_outbox_page_shows_only_the_coordinators_groups_messages(client, db, login):
    mine, theirs = make_group(slug="mine", name="Mine"), make_group(slug="theirs", name="Theirs")
    login(group=mine)
    own = make_appeal(slug="own", group=mine)
    foreign = make_appeal(slug="foreign", group=theirs, posts=[])
    queue_email(kind="confirmation", to="own@example.org", subject="Own", body_text="b",
                appeal_id=own.id)
    queue_email(kind="confirmation", to="secret@example.org", subject="Foreign", body_text="b",
                appeal_id=foreign.id)
    queue_email(kind="system", to="admin@example.org", subject="No appeal", body_text="b")
    db.session.commit()
    page = client.get("/coordinator/outbox")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "own@example.org" in html
    assert "secret@example.org" not in html and "admin@example.org" not in html


def test_admin_sees_every_groups_outbox(client, db, login):
    login(role="admin")
    theirs = make_group(slug="theirs", name="Theirs")
    foreign = make_appeal(slug="foreign", group=theirs)
    queue_email(kind="confirmation", to="secret@example.org", subject="Foreign", body_text="b",
                appeal_id=foreign.id)
    db.session.commit()
    assert "secret@example.org" in client.get("/coordinator/outbox").get_data(as_text=True)


def test_no_coordinator_page_of_any_area_opens_another_groups_appeal(app, client, db, login):
    mine, theirs = make_group(slug="mine", name="Mine"), make_group(slug="theirs", name="Theirs")
    login(group=mine)
    foreign = make_appeal(slug="foreign", group=theirs)
    add_signature(db, foreign, "secret@example.org", name="Secret Signer", status="confirmed")
    checked = []
    for rule in app.url_map.iter_rules():
        appeal_scoped = rule.rule.startswith(("/coordinator/appeals/", "/coordinator/delivery/",
                                              "/coordinator/letters/", "/coordinator/directory/appeals/"))
        if "GET" not in rule.methods or "slug" not in rule.arguments or not appeal_scoped:
            continue
        values = {arg: 1 if rule._converters[arg].__class__.__name__ == "IntegerConverter" else "x"
                  for arg in rule.arguments}
        values["slug"] = foreign.slug
        path = rule.build(values, append_unknown=False)[1]
        response = client.get(path)
        assert response.status_code in (403, 404), (rule.rule, response.status_code)
        assert b"Secret Signer" not in response.get_data()
        checked.append(rule.endpoint)
    assert "coordinator.appeal_detail" in checked and len(checked) >= 4
