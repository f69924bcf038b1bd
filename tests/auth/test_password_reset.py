"""Password reset: the same answer whether the account exists, a single-use link of its own."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from app.auth.service import MAX_FAILED_LOGINS, authenticate, create_user
from app.models import OutboxMessage, Token, User, utcnow
from app.models.enums import TokenPurpose
from app.tokens import issue_token
from tests.conftest import csrf_token


def _ask(client, email):
    page = client.get("/password-reset").get_data(as_text=True)
    response = client.post("/password-reset", data={"csrf_token": csrf_token(page), "email": email})
    body = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", response.get_data(as_text=True))
    return response.status_code, body


def _link(db) -> str:
    body = db.session.scalars(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://\S+(/password-reset/\S+)", body).group(1)


def _set(client, path, password, confirm=None):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page), "password": password,
                                   "confirm": confirm if confirm is not None else password})


def test_request_answers_the_same_whether_the_account_exists(client, db):
    create_user("coord@example.org", "correct horse battery")
    known = _ask(client, "coord@example.org")
    unknown = _ask(client, "nobody@example.org")
    assert known == unknown and known[0] == 200
    assert "If there is an account for that address" in known[1]
    assert db.session.scalars(select(OutboxMessage.to_addr)).all() == ["coord@example.org"]
    message = db.session.scalar(select(OutboxMessage))
    assert message.kind == "password_reset" and message.sensitive


def test_reset_link_sets_the_password_once_and_unlocks_the_account(client, db):
    user = create_user("coord@example.org", "correct horse battery")
    db.session.execute(update(User).values(failed_logins=MAX_FAILED_LOGINS - 1,
                                           locked_until=utcnow() + timedelta(minutes=10)))
    db.session.commit()
    _ask(client, "COORD@example.org")
    path = _link(db)
    response = _set(client, path, "a brand new passphrase")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    db.session.expire_all()
    assert authenticate("coord@example.org", "a brand new passphrase").id == user.id
    again = _set(client, path, "yet another passphrase")
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    assert authenticate("coord@example.org", "yet another passphrase") is None


def test_new_password_errors_are_shown_next_to_their_field(client, db):
    create_user("coord@example.org", "correct horse battery")
    _ask(client, "coord@example.org")
    path = _link(db)
    short = _set(client, path, "short")
    assert short.status_code == 400
    assert 'id="password-error">Use at least 12 characters.' in short.get_data(as_text=True)
    differ = _set(client, path, "a brand new passphrase", "another one entirely")
    assert 'id="confirm-error">The two passwords differ.' in differ.get_data(as_text=True)
    # The link was not used up by the refused attempts.
    assert _set(client, path, "a brand new passphrase").status_code == 303


def test_a_token_of_another_purpose_or_expired_cannot_reset(client, db):
    user = create_user("coord@example.org", "correct horse battery")
    confirm_token = issue_token(TokenPurpose.CONFIRM_SIGNATURE, user.id, ttl=timedelta(days=1))
    expired = issue_token("reset_password", user.id, ttl=timedelta(seconds=-1))
    db.session.commit()
    for raw, reason in ((confirm_token, "not valid"), (expired, "expired"), ("nonsense", "not valid")):
        response = _set(client, f"/password-reset/{raw}", "a brand new passphrase")
        assert response.status_code == 410 and reason in response.get_data(as_text=True)
    db.session.expire_all()
    assert authenticate("coord@example.org", "correct horse battery") is not None


def test_no_link_for_a_deactivated_account(client, db):
    create_user("coord@example.org", "correct horse battery")
    db.session.execute(update(User).values(active=False))
    db.session.commit()
    assert _ask(client, "coord@example.org")[0] == 200
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(Token)) == 0


def test_reset_pages_are_not_stored(client, db):
    assert client.get("/password-reset").headers["Cache-Control"] == "no-store"
    assert client.get("/password-reset/abc").headers["Cache-Control"] == "no-store"
