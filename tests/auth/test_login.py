"""Coordinator accounts and log-in."""

from __future__ import annotations

from sqlalchemy import select, update

from app.auth.service import authenticate
from app.models import User
from tests.builders import make_appeal, make_group
from tests.conftest import csrf_token


def _post_login(client, email, password, next_=None):
    page = client.get("/login").get_data(as_text=True)
    url = "/login" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"csrf_token": csrf_token(page), "email": email, "password": password})


def test_users_create_hashes_the_password_with_scrypt(app, db):
    make_group(slug="adil-soz")
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Coord@Example.org", "--organisation", "adil-soz"],
        input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "coord@example.org"
    assert user.password_hash.startswith("scrypt:")
    assert user.role == "coordinator" and user.group.slug == "adil-soz"


def test_users_create_refuses_short_password_and_duplicates(app, db):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["users", "create", "a@example.org", "--admin"], input="short\n")
    assert short.exit_code != 0 and "password: use at least 12 characters" in short.output
    runner.invoke(args=["users", "create", "a@example.org", "--admin"], input="a long enough password\n")
    again = runner.invoke(args=["users", "create", "a@example.org", "--admin"],
                          input="a long enough password\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_a_coordinator_needs_an_existing_organisation_or_an_explicit_admin(app, db):
    runner = app.test_cli_runner()
    neither = runner.invoke(args=["users", "create", "c@example.org"], input="a long enough password\n")
    assert neither.exit_code != 0 and "--organisation SLUG" in neither.output
    unknown = runner.invoke(args=["users", "create", "c@example.org", "--organisation", "nope"],
                            input="a long enough password\n")
    assert unknown.exit_code != 0 and "there is no organisation 'nope'" in unknown.output
    assert db.session.scalar(select(User)) is None
    admin = runner.invoke(args=["users", "create", "root@example.org", "--admin"],
                          input="a long enough password\n")
    assert admin.exit_code == 0 and db.session.scalar(select(User.role)) == "admin"


def test_a_coordinator_without_an_organisation_sees_nothing(client, db, login):
    appeal = make_appeal(group=make_group(slug="adil-soz"))
    make_appeal(slug="no-group-appeal", posts=[])
    login(email="orphan@example.org", role="coordinator")
    assert appeal.title not in client.get("/coordinator/").get_data(as_text=True)
    for path in (f"/coordinator/appeals/{appeal.slug}", "/coordinator/appeals/no-group-appeal",
                 f"/coordinator/letters/{appeal.slug}/", f"/coordinator/delivery/{appeal.slug}"):
        assert client.get(path).status_code == 404, path


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str) -> int:
    """Another browser with the cookie. In an app context of its own: the test's context keeps
    Flask-Login's user of the last request in `g`, which would hide the check."""
    with app.app_context():
        other = app.test_client()
        other.set_cookie("session", cookie)
        return other.get("/coordinator/").status_code


def test_users_set_password_from_stdin_unlocks_and_logs_out(app, client, db, login):
    user = login(email="coord@example.org", role="admin")
    captured = _cookie(client)
    db.session.execute(update(User).values(failed_logins=3))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "set-password", "COORD@example.org"],
                                          input="a brand new passphrase\n")
    assert result.exit_code == 0, result.output
    assert "New password set for COORD@example.org" in result.output
    db.session.expire_all()
    assert authenticate("coord@example.org", "a brand new passphrase").id == user.id
    assert _replay(app, captured) == 302  # the earlier session is over
    missing = app.test_cli_runner().invoke(args=["users", "set-password", "ghost@example.org"],
                                           input="a brand new passphrase\n")
    assert missing.exit_code != 0 and "there is no account for ghost@example.org" in missing.output


def test_demo_password_line_says_how_to_set_a_new_one(app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert "flask users set-password" in result.output


def test_a_cookie_captured_before_logout_no_longer_works(app, client, db, login):
    login(role="admin")
    captured = _cookie(client)
    assert _replay(app, captured) == 200
    page = client.get("/coordinator/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 303
    assert _replay(app, captured) == 302  # sent to the log-in page


def test_a_cookie_captured_before_a_password_reset_no_longer_works(app, client, db, login):
    from app.auth.reset import reset_password
    from app.tokens import issue_token

    user = login(role="admin")
    captured = _cookie(client)
    assert _replay(app, captured) == 200
    raw = issue_token("reset_password", user.id, ttl=None)
    db.session.commit()
    reset_password(raw, "a brand new passphrase")
    assert _replay(app, captured) == 302


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


def test_users_create_refuses_staff_without_an_organisation(app, db):
    result = app.test_cli_runner().invoke(args=["users", "create", "office@example.org", "--role", "staff"],
                                          input="a long enough password\n")
    assert result.exit_code != 0
    assert "organisation: staff accounts see the appeals of one organisation" in result.output
    assert db.session.scalar(select(User)) is None
