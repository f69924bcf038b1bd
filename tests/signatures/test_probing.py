"""Nobody can learn whether an address signed, and the sign form cannot flood a signer's inbox."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

from flask import session
from sqlalchemy import select, update

from app.mail.render import render_email
from app.models import OutboxMessage, Signature
from tests.builders import make_appeal
from tests.conftest import csrf_token
from tests.signatures.test_sign_flow import VALID, sign


def _request(base: str, method: str, path: str, *, cookie: str | None = None,
             form: dict | None = None) -> tuple[int, list[tuple[str, str]], bytes]:
    """One raw HTTP/1.1 exchange: status, every header in order, body."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    result = response.status, response.getheaders(), response.read()
    conn.close()
    return result


def test_sign_answers_byte_for_byte_the_same_for_new_pending_and_confirmed(app, db, gunicorn_server):
    """Through a real gunicorn in production mode: the test client would hide a Set-Cookie."""
    base, path = gunicorn_server.url, f"/a/{make_appeal().slug}"
    db.session.rollback()  # no read transaction of ours in the way of the server's writes
    status, headers, page = _request(base, "GET", path)
    assert status == 200
    cookie = next(v for k, v in headers if k.lower() == "set-cookie").split(";", 1)[0]
    html = page.decode()
    form = {**VALID, "csrf_token": csrf_token(html),
            "recipients": re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)}

    def post(email: str):
        return _request(base, "POST", path, cookie=cookie, form={**form, "email": email})

    post("pending@example.org")
    post("confirmed@example.org")
    db.session.execute(update(Signature).where(Signature.email == "confirmed@example.org")
                       .values(status="confirmed"))
    db.session.commit()
    answers = [post(email) for email in
               ("new@example.org", "pending@example.org", "confirmed@example.org")]
    for status, headers, _body in answers:
        assert status == 303, gunicorn_server.log()
        assert not any(k.lower() == "set-cookie" for k, _v in headers), headers
    without_date = [(s, [(k, v) for k, v in h if k.lower() != "date"], b) for s, h, b in answers]
    assert without_date[0] == without_date[1] == without_date[2]
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds[-3:] == ["confirmation", "confirmation", "already_signed"]  # each got its e-mail


def test_rendering_an_email_leaves_the_session_untouched(app):
    with app.test_request_context("/a/x", method="POST"):
        render_email("email/already_signed.txt", appeal=make_appeal_stub(),
                     signature={"name": "A"}, appeal_url="http://x/a/x")
        assert not session.modified and "_fresh" not in session


def make_appeal_stub():
    return {"title": "Free the journalist", "slug": "x", "group": None}


def test_already_signed_emails_are_capped_per_address_per_day(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "ALREADY_SIGNED_EMAILS_PER_DAY", 3)
    appeal = make_appeal()
    sign(client, appeal.slug)
    db.session.execute(update(Signature).values(status="confirmed"))
    db.session.commit()
    answers = [sign(client, appeal.slug) for _ in range(5)]
    assert {a.status_code for a in answers} == {303}
    assert len({a.get_data() for a in answers}) == 1  # the same answer over the cap
    told = db.session.scalars(select(OutboxMessage.to_addr).where(
        OutboxMessage.kind == "already_signed")).all()
    assert told == ["aigerim@example.org"] * 3
    # Another signer's address has a cap of its own.
    sign(client, appeal.slug, email="other@example.org")
    db.session.execute(update(Signature).values(status="confirmed"))
    db.session.commit()
    sign(client, appeal.slug, email="other@example.org")
    assert db.session.scalars(select(OutboxMessage.to_addr).where(
        OutboxMessage.kind == "already_signed").order_by(OutboxMessage.id)).all()[-1] == \
        "other@example.org"


def test_a_cap_of_zero_sends_no_already_signed_email(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "ALREADY_SIGNED_EMAILS_PER_DAY", 0)
    appeal = make_appeal()
    sign(client, appeal.slug)
    db.session.execute(update(Signature).values(status="confirmed"))
    db.session.commit()
    assert sign(client, appeal.slug).status_code == 303
    assert db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.kind == "already_signed")) is None
