"""Cost flat in the number of signatures: tallies, the public list's index, keyset pages, expiry."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import delete, event, func, insert, select, update

from app.appeals.queries import signature_counts
from app.extensions import db as _db
from app.models import OutboxMessage, Signature, SignatureTally, Token, utcnow
from app.outbox import queue_email
from app.signatures.identity import email_digest
from app.signatures.service import queue_confirmation
from tests.builders import make_appeal
from tests.conftest import csrf_token


def _add(appeal, count: int, *, status: str = "confirmed", display: str = "full",
         prefix: str = "s", age_days: int = 0) -> None:
    signed = utcnow() - timedelta(days=age_days)
    _db.session.execute(insert(Signature), [
        {"appeal_id": appeal.id, "name": f"{prefix} {i}", "email": f"{prefix}{i}@example.org",
         "email_hash": email_digest(f"{prefix}{i}@example.org"), "country": "KZ",
         "status": status, "public_display": display, "created_at": signed,
         "confirmed_at": signed if status == "confirmed" else None}
        for i in range(count)])
    _db.session.commit()


def _grouped(appeal_id: int) -> dict[str, int]:
    return dict(_db.session.execute(
        select(Signature.status, func.count()).where(Signature.appeal_id == appeal_id)
        .group_by(Signature.status)).tuples().all())


def test_status_tallies_follow_every_insert_update_and_delete(db):
    appeal = make_appeal()
    _add(appeal, 5, status="pending")
    _add(appeal, 3, status="suspect", prefix="bot")
    _db.session.execute(update(Signature).where(Signature.name.in_(["s 0", "s 1"]))
                        .values(status="confirmed"))
    _db.session.execute(delete(Signature).where(Signature.name == "bot 0"))
    _db.session.commit()
    tallies = {status: n for status, n in _grouped(appeal.id).items()}
    assert tallies == {"pending": 3, "confirmed": 2, "suspect": 2}
    assert {k: v for k, v in signature_counts(appeal.id)[appeal.id].items() if v} == tallies
    assert set(_db.session.scalars(select(SignatureTally.appeal_id))) == {appeal.id}


def _plans(db, run) -> list[tuple[str, str]]:  # noqa: ANN001
    """(statement, plan) of every statement `run()` sends that reads the signatures table."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if "signatures" in statement and not executemany and not statement.startswith("EXPLAIN"):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    plans = []
    with db.engine.connect() as conn:
        postgresql = conn.dialect.name == "postgresql"
        if postgresql:  # a 100-row table is cheaper to scan: ask whether an index *can* serve
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in seen:
            explain = "EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN "
            rows = conn.exec_driver_sql(explain + statement, parameters).all()
            plans.append((statement, "\n".join(str(row[-1]) for row in rows)))
    return plans


def test_public_page_sign_and_signer_list_never_scan_the_signatures(app, client, db, login):
    appeal = make_appeal()
    _add(appeal, 150)
    _add(appeal, 40, status="pending", prefix="p")
    slug = appeal.slug
    login()
    _db.session.commit()  # the test's own session holds no lock while the requests run

    def requests():
        page = client.get(f"/a/{slug}").get_data(as_text=True)
        recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', page)
        client.post(f"/a/{slug}", data={
            "csrf_token": csrf_token(page), "name": "Aigerim", "email": "new@example.org",
            "country": "KZ", "recipients": recipients})
        client.get(f"/coordinator/appeals/{slug}")
        client.get(f"/coordinator/appeals/{slug}?before=100")
        client.get("/coordinator/")

    plans = _plans(db, requests)
    assert any("ix_signatures_public_recent" in plan for _statement, plan in plans)
    scans = [(statement, plan) for statement, plan in plans
             if re.search(r"SCAN signatures\b|Seq Scan on signatures", plan)]
    assert scans == []


def test_public_page_lists_recent_shown_signers_only(client, db):
    appeal = make_appeal()
    _add(appeal, 3, display="none", prefix="Zhasyryn")
    _add(appeal, 3, status="pending", prefix="unconfirmed")
    _add(appeal, 2, display="full", prefix="shown")
    html = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    assert "shown 0, Kazakhstan" in html and "shown 1, Kazakhstan" in html
    assert "Zhasyryn" not in html and "unconfirmed 0" not in html


def test_coordinator_signer_list_pages_by_keyset(client, db, login):
    appeal = make_appeal()
    _add(appeal, 250)
    login()
    first = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    assert "s 249" in first and "s 150" in first and "s 149" not in first
    older = re.search(r'href="([^"]*before=(\d+))"', first)
    last_shown = _db.session.scalar(select(Signature.id).where(Signature.name == "s 150"))
    assert older and older.group(2) == str(last_shown)
    second = client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "s 149" in second and "s 50" in second and "s 49" not in second
    third = client.get(re.search(r'href="([^"]*before=\d+)"', second).group(1)).get_data(as_text=True)
    assert "s 0" in third and "before=" not in third and "Newest" in third


def test_unconfirmed_and_suspect_signatures_expire_after_the_set_period(app, db):
    appeal = make_appeal()
    _add(appeal, 2, status="pending", prefix="old-pending", age_days=31)
    _add(appeal, 2, status="suspect", prefix="old-suspect", age_days=31)
    _add(appeal, 2, status="confirmed", prefix="old-confirmed", age_days=31)
    _add(appeal, 2, status="pending", prefix="new-pending", age_days=29)
    for signature in _db.session.scalars(select(Signature).where(Signature.status == "pending")):
        queue_confirmation(signature, appeal)
    queue_email(kind="letter", to="official@gov.example.kz", subject="Letter", body_text="Dear",
                appeal_id=appeal.id)
    _db.session.commit()
    app.config["UNCONFIRMED_SIGNATURE_MAX_AGE_DAYS"] = 30

    result = app.test_cli_runner().invoke(args=["admin", "expire-signatures"])

    assert result.exit_code == 0, result.output
    assert f"{appeal.slug}: 4 unconfirmed or suspect signature(s) deleted" in result.output
    _db.session.expire_all()
    names = set(_db.session.scalars(select(Signature.name)))
    assert names == {"old-confirmed 0", "old-confirmed 1", "new-pending 0", "new-pending 1"}
    assert _db.session.scalar(select(func.count()).select_from(Token)) == 2
    addresses = set(_db.session.scalars(select(OutboxMessage.to_addr)))
    assert addresses == {"new-pending0@example.org", "new-pending1@example.org",
                         "official@gov.example.kz"}
    assert signature_counts(appeal.id)[appeal.id] == {"pending": 2, "suspect": 0, "confirmed": 2}
