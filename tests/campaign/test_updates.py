"""Case updates to supporters: composed in the browser, sent through the outbox and a real SMTP
server, in each signer's language, with a one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

import re
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.delivery.updates import UpdateRefused, UpdateText, send_update
from app.delivery.worker import deliver_due
from app.mail.rows import HeaderInjectionError
from app.models import CaseEvent, CaseUpdate, OutboxMessage, Signature, utcnow
from app.outbox import queue_email
from app.sealing.keys import read_key_file
from tests.builders import key_upload, make_appeal, make_group, make_keyed_group, make_post
from tests.conftest import csrf_token
from tests.delivery.helpers import confirmed_signer

RU_TITLE = "Свободу журналисту"
# The organisation key file of each fixture appeal (signers' addresses are sealed to it).
KEYS: dict[str, str] = {}


@pytest.fixture
def campaign(db, login, client):
    """An appeal in English with a Russian translation, its coordinator logged in, and signers:
    three who should get updates (en, ru, kk) and three who should not."""
    group, KEYS["free-him"] = make_keyed_group()
    appeal = make_appeal(slug="free-him", group=group)
    appeal.translations = {"ru": {"title": RU_TITLE}}
    other = make_appeal(slug="other-appeal", group=group, posts=[make_post(slug="kz-other")])
    db.session.commit()
    for name, language in (("Anna English", "en"), ("Boris Russky", "ru"), ("Kairat Kazakh", "kk")):
        confirmed_signer(appeal, name=name, wants_updates=True).language = language
    confirmed_signer(appeal, name="Pending Person", wants_updates=True, status="pending")
    confirmed_signer(appeal, name="Quiet Person", wants_updates=False)
    confirmed_signer(other, name="Other Appeal", wants_updates=True)
    db.session.commit()
    login(group=group)
    return appeal


def _page(client, slug="free-him"):
    return client.get(f"/coordinator/appeals/{slug}/updates")


def _post(client, button="send", token=None, slug="free-him", **fields):
    token = token or csrf_token(_page(client, slug).get_data(as_text=True))
    data = {"csrf_token": token, "en-subject": "Hearing moved", "en-body": "The hearing is on **5 March**.",
            "ru-subject": "Заседание перенесено", "ru-body": "Заседание **5 марта**.", button: "y"}
    if button == "send" and slug in KEYS:
        data["key_file"] = key_upload(KEYS[slug])
    data.update(fields)
    return client.post(f"/coordinator/appeals/{slug}/updates", data=data)


def _unsubscribe_url(mail) -> str:
    header = str(mail["List-Unsubscribe"])
    return re.match(r"<(https?://[^>]+)>, <mailto:[^>]+>$", header).group(1)


def test_update_reaches_opted_in_signers_in_their_language_and_one_click_unsubscribes(
        campaign, client, db, smtp, gunicorn_server):
    preview = _post(client, button="preview")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "News: Free the journalist — Hearing moved" in html
    assert f"Новости: {RU_TITLE} — Заседание перенесено" in html
    assert "<strong>5 марта</strong>" in html  # the Markdown as the HTML part shows it
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # only a preview

    assert _post(client).status_code == 303
    assert deliver_due() == 3
    mails = {str(m["To"]): m for m in smtp.wait_for(3)}
    assert set(mails) == {"anna@example.org", "boris@example.org", "kairat@example.org"}
    english, russian, kazakh = (mails[f"{n}@example.org"] for n in ("anna", "boris", "kairat"))
    assert english["Subject"] == "News: Free the journalist — Hearing moved"
    assert russian["Subject"] == f"Новости: {RU_TITLE} — Заседание перенесено"
    assert kazakh["Subject"].startswith("Жаңалық:")  # Kazakh frame, the Russian text (fallback)
    assert "Заседание **5 марта**." in kazakh.get_body(("plain",)).get_content()
    assert "Отписаться от этих писем:" in russian.get_body(("plain",)).get_content()
    assert "<strong>5 March</strong>" in english.get_body(("html",)).get_content()
    for mail in mails.values():
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert _unsubscribe_url(mail) in mail.get_body(("plain",)).get_content()

    # The mail client's one-click POST: no session, no CSRF token, no confirmation page.
    path = _unsubscribe_url(russian).split("127.0.0.1:5000", 1)[1]
    request = urllib.request.Request(gunicorn_server.url + path, data=b"List-Unsubscribe=One-Click",
                                     method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    db.session.expire_all()
    # Names are sealed: find Boris by the language he signed in (the only Russian signer).
    assert db.session.scalar(select(Signature.wants_updates).where(Signature.language == "ru")) is False

    assert _post(client, **{"en-subject": "Verdict", "ru-subject": "Приговор"}).status_code == 303
    assert deliver_due() == 2
    later = {str(m["To"]) for m in smtp.wait_for(5)[3:]}
    assert later == {"anna@example.org", "kairat@example.org"}
    # Sent messages keep neither the body nor the headers that held the unsubscribe secret.
    assert db.session.scalar(select(func.count()).where(OutboxMessage.headers.is_not(None))) == 0


def test_the_update_is_on_the_public_timeline(campaign, client):
    assert _post(client).status_code == 303
    page = client.get("/a/free-him").get_data(as_text=True)
    assert "Hearing moved" in page and "The hearing is on 5 March." in page


def test_weekly_cap_refuses_with_a_message_and_stores_nothing(campaign, app, client, db):
    app.config["CASE_UPDATES_PER_WEEK"] = 1
    try:
        assert _post(client).status_code == 303
        refused = _post(client, **{"en-subject": "Second"})
    finally:
        app.config["CASE_UPDATES_PER_WEEK"] = 2
    assert refused.status_code == 409
    assert "already had 1 update in the last 7 days, the most allowed" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CaseUpdate)) == 1
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 1


def test_sending_without_the_organisation_key_is_refused_beside_the_field_and_stores_nothing(
        campaign, client, db):
    response = _post(client, key_file=None)
    assert response.status_code == 400
    assert "Choose your organisation&#39;s key file." in response.get_data(as_text=True)
    other_key = make_keyed_group(slug="another-org", name="Another")[1]
    response = _post(client, key_file=key_upload(other_key))
    assert response.status_code == 400
    assert "This key file is not your organisation&#39;s key." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CaseUpdate)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_cap_counts_only_the_last_seven_days(campaign, db):
    texts = {"en": UpdateText("One", "Text")}
    key = read_key_file(KEYS["free-him"].encode(), campaign.group)
    start = utcnow()
    send_update(campaign, texts, key, author_id=None, now=start - timedelta(days=8))
    send_update(campaign, texts, key, author_id=None, now=start - timedelta(days=1))
    send_update(campaign, texts, key, author_id=None, now=start)
    with pytest.raises(UpdateRefused):
        send_update(campaign, texts, key, author_id=None, now=start)


def test_a_paused_appeal_holds_updates_until_it_is_resumed(campaign, client, db, smtp):
    token = csrf_token(client.get("/coordinator/appeals/free-him").get_data(as_text=True))
    client.post("/coordinator/appeals/free-him/pause", data={"csrf_token": token, "notice": "Family asks."})
    sent = _post(client, token=token)
    assert sent.status_code == 303
    assert "wait in the outbox" in client.get(sent.location).get_data(as_text=True)
    assert deliver_due() == 0
    assert client.post("/coordinator/appeals/free-him/resume", data={"csrf_token": token}).status_code == 303
    assert deliver_due() == 3


def test_a_line_break_in_the_subject_is_refused_beside_the_field(campaign, client, db):
    response = _post(client, **{"en-subject": "Hearing\r\nBcc: everyone@example.org"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="en-subject-error">Remove line breaks and control characters', html)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(CaseUpdate)) == 0


def test_the_outbox_refuses_unknown_or_broken_extra_headers(db):
    with pytest.raises(HeaderInjectionError):
        queue_email(kind="t", to="a@example.org", subject="s", body_text="b",
                    headers={"Bcc": "x@example.org"})
    with pytest.raises(HeaderInjectionError):
        queue_email(kind="t", to="a@example.org", subject="s", body_text="b",
                    headers={"List-Unsubscribe": "<https://x/u>\r\nBcc: x@example.org"})


def test_the_own_language_is_required_and_another_is_both_or_neither(campaign, client, db):
    response = _post(client, **{"en-subject": "", "ru-body": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "English subject: give the update a subject." in html
    assert "Russian text: write the update." in html
    assert db.session.scalar(select(func.count()).select_from(CaseUpdate)) == 0


def test_an_update_without_csrf_token_is_refused(campaign, client, db):
    response = client.post("/coordinator/appeals/free-him/updates",
                           data={"en-subject": "S", "en-body": "B", "send": "y"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_another_groups_coordinator_gets_404(campaign, client, login, db):
    client.post("/logout", data={"csrf_token": csrf_token(_page(client).get_data(as_text=True))})
    login(email="elsewhere@example.org", group=make_group(slug="other-group", name="Other"))
    assert _page(client).status_code == 404
    token = csrf_token(client.get("/coordinator/").get_data(as_text=True))
    assert _post(client, token=token).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_list_unsubscribe_is_written_as_plain_uris_a_mail_client_can_read(app):
    from app.mail.compose import Draft, build_message

    url = "https://appeals.example.org/unsubscribe/" + "x" * 43 + "?lang=ru"
    draft = Draft(to="a@example.org", subject="s", body="b", message_id="<1@example.org>",
                  headers=(("List-Unsubscribe", f"<{url}>, <mailto:appeals@example.org?subject=unsubscribe>"),
                           ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")))
    raw = build_message(draft, "Appeal Desk <appeals@example.org>").as_bytes()
    folded = f"List-Unsubscribe: <{url}>,\r\n <mailto:appeals@example.org?subject=unsubscribe>\r\n"
    assert folded.encode() in raw
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert b"=?utf-8?" not in raw  # never RFC 2047-encoded
