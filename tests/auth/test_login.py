"""Coordinator accounts and log-in."""

from __future__ import annotations

from sqlalchemy import select

from app.models import User
from tests.conftest import csrf_token


def _post_login(client, email, password, next_=None):
    page = client.get("/login").get_data(as_text=True)
    url = "/login" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"csrf_token": csrf_token(page), "email": email, "password": password})


def test_users_create_hashes_the_password_with_scrypt(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Coord@Example.org", "--role", "coordinator"],
        input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "coord@example.org"
    assert user.password_hash.startswith("scrypt:")


def test_users_create_refuses_short_password_and_duplicates(app, db):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "create", "a@example.org"], input="short\n")
    assert short.exit_code != 0 and "password: use at least 12 characters" in short.output
    runner.invoke(args=["users", "create", "a@example.org"], input="a long enough password\n")
    again = runner.invoke(args=["users", "create", "a@example.org"], input="a long enough password\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_wrong_password_and_unknown_account_get_the_same_answer(client, db):
    from app.auth.service import create_user

    create_user("coord@example.org", "correct horse battery")
    wrong = _post_login(client, "coord@example.org", "nope")
    unknown = _post_login(client, "ghost@example.org", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_data() .replace(b"coord@example.org", b"X") == unknown.get_data().replace(
        b"ghost@example.org", b"X")
    assert "E-mail or password is not right" in wrong.get_data(as_text=True)


def test_login_then_next_never_leaves_the_site(client, db):
    from app.auth.service import create_user

    create_user("coord@example.org", "correct horse battery")
    for target in ("//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"):
        response = _post_login(client, "coord@example.org", "correct horse battery", next_=target)
        assert response.status_code == 303
        assert response.headers["Location"] == "/coordinator/"
    ok = _post_login(client, "coord@example.org", "correct horse battery", next_="/coordinator/outbox")
    assert ok.headers["Location"] == "/coordinator/outbox"


def test_login_form_errors_are_shown_next_to_fields(client, db):
    response = _post_login(client, "", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error">Enter your e-mail.' in html
    assert 'id="password-error">Enter your password.' in html
