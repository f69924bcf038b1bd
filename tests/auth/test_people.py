"""Administrators invite coordinators by e-mail, give them an organisation, disable accounts."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from app.models import OutboxMessage, Token, User, utcnow
from tests.builders import make_group
from tests.conftest import csrf_token

PASSWORD = "a long new password"


def send_invitation(client, email="new@example.org", group=None, role="coordinator"):
    page = client.get("/coordinator/people").get_data(as_text=True)
    return client.post("/coordinator/people", data={
        "csrf_token": csrf_token(page), "email": email, "role": role,
        "group_id": str(group.id) if group else ""})


def invitation_link(db, email="new@example.org") -> str:
    body = db.session.scalar(select(OutboxMessage.body_text).where(OutboxMessage.to_addr == email)
                             .order_by(OutboxMessage.id.desc()))
    return re.search(r"https?://[^/\s]+(/invitation/[\w-]+)", body).group(1)


def choose_password(client, path, password=PASSWORD):
    page = client.get(path)
    # A refused link's page has no form: the session's token comes from the log-in page.
    html = page.text if page.status_code == 200 else client.get("/login").text
    return client.post(path, data={"csrf_token": csrf_token(html),
                                   "password": password, "confirm": password})


def log_in(client, email, password=PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": email,
                                       "password": password})


def test_invitee_chooses_a_password_once_and_then_logs_in_to_their_organisation(
        app, client, db, login):
    group = make_group()
    login()
    response = send_invitation(client, group=group)
    assert response.status_code == 303
    path = invitation_link(db)
    invited = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert invited.group_id == group.id and invited.role == "coordinator"
    assert db.session.scalar(select(OutboxMessage.sensitive)) is True
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/coordinator/").text)})

    assert log_in(client, "new@example.org", "!invited").status_code == 401  # no password yet
    page = client.get(path)
    assert page.status_code == 200 and "new@example.org" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert choose_password(client, path).status_code == 303
    assert log_in(client, "new@example.org").status_code == 303

    # Another browser, in an app context of its own (the test's keeps the last user in `g`);
    # the test's session ends its transaction first (a SQLite write lock outside a request).
    db.session.rollback()
    with app.app_context():
        other = app.test_client()
        assert other.get(path).status_code == 410
        reused = choose_password(other, path, "another long password")
        assert reused.status_code == 410 and "This invitation has already been used" in reused.text
        assert log_in(other, "new@example.org", "another long password").status_code == 401


def test_expired_invitation_is_refused_with_a_clear_page(client, db, login):
    login()
    send_invitation(client, group=make_group())
    path = invitation_link(db)
    db.session.execute(update(Token).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    for response in (client.get(path), choose_password(client, path)):
        assert response.status_code == 410
        assert "This invitation has expired" in response.text
        assert "send a new invitation" in response.text
    invited = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert invited.password_hash == "!invited"


def test_unknown_invitation_link_is_refused(client, db):
    response = client.get("/invitation/not-a-real-token")
    assert response.status_code == 410 and "This invitation is not valid" in response.text


def test_a_new_invitation_replaces_the_earlier_link(client, db, login):
    group = make_group()
    login()
    send_invitation(client, group=group)
    first = invitation_link(db)
    send_invitation(client, group=group)
    assert client.get(first).status_code == 410
    assert client.get(invitation_link(db)).status_code == 200


def test_invitation_errors_name_the_field(client, db, login):
    login("admin@example.org")
    no_group = send_invitation(client)
    assert no_group.status_code == 400
    assert "A coordinator sees the appeals of one organisation: choose it." in no_group.text
    staff = send_invitation(client, role="staff")
    assert staff.status_code == 400
    assert "Staff work on the letters of one organisation: choose it." in staff.text
    existing = send_invitation(client, email="admin@example.org", role="admin")
    assert existing.status_code == 400 and "There is already an account for this e-mail." in existing.text
    bad = send_invitation(client, email="not an address", role="admin")
    assert bad.status_code == 400 and 'id="email-error"' in bad.text


def test_a_short_password_on_the_invitation_page_is_refused_and_the_link_still_works(
        client, db, login):
    login()
    send_invitation(client, group=make_group())
    path = invitation_link(db)
    assert choose_password(client, path, "short").status_code == 400
    assert client.get(path).status_code == 200


def test_non_admins_cannot_invite_or_manage_accounts(client, db, login):
    group = make_group()
    user = login(group=group)
    assert client.get("/coordinator/people").status_code == 403
    page = client.get("/coordinator/").get_data(as_text=True)
    response = client.post("/coordinator/people", data={
        "csrf_token": csrf_token(page), "email": "x@example.org", "role": "admin", "group_id": ""})
    assert response.status_code == 403
    assert client.post(f"/coordinator/people/{user.id}/disable",
                       data={"csrf_token": csrf_token(page)}).status_code == 403
    assert db.session.scalar(select(User).where(User.email == "x@example.org")) is None


def test_admin_assigns_an_organisation(client, db, login):
    first, second = make_group(), make_group(slug="second", name="Second")
    login()
    send_invitation(client, group=first)
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    page = client.get(f"/coordinator/people/{user.id}").get_data(as_text=True)
    response = client.post(f"/coordinator/people/{user.id}", data={
        "csrf_token": csrf_token(page), "role": "coordinator", "group_id": str(second.id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).group_id == second.id


def test_disabled_account_is_logged_out_at_once_and_cannot_log_in(app, client, db, login):
    group = make_group()
    login()
    from app.auth.service import create_user

    coordinator = create_user("coord2@example.org", PASSWORD, group=group)
    theirs = app.test_client()

    def as_them(action):  # their browser, in an app context of its own (see test_login.py)
        db.session.rollback()  # the test's session holds SQLite's write lock outside a request
        with app.app_context():
            return action()

    assert as_them(lambda: log_in(theirs, "coord2@example.org").status_code) == 303
    assert as_them(lambda: theirs.get("/coordinator/").status_code) == 200

    page = client.get("/coordinator/people").get_data(as_text=True)
    response = client.post(f"/coordinator/people/{coordinator.id}/disable",
                           data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "coord2@example.org is disabled and logged out everywhere." in response.text
    after = as_them(lambda: theirs.get("/coordinator/"))
    assert after.status_code == 302 and "/login" in after.headers["Location"]
    assert as_them(lambda: log_in(theirs, "coord2@example.org").status_code) == 401

    client.post(f"/coordinator/people/{coordinator.id}/enable", data={"csrf_token": csrf_token(page)})
    assert as_them(lambda: log_in(theirs, "coord2@example.org").status_code) == 303


def test_disabling_without_csrf_or_ones_own_account_changes_nothing(client, db, login):
    admin = login()
    assert client.post(f"/coordinator/people/{admin.id}/disable").status_code == 400
    page = client.get("/coordinator/people").get_data(as_text=True)
    response = client.post(f"/coordinator/people/{admin.id}/disable",
                           data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "You cannot disable your own account." in response.text
    db.session.expire_all()
    assert db.session.get(User, admin.id).active
