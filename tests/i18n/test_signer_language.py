"""Each signer in their language: stored with the signature, used for every e-mail to them."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.delivery.timeline import notify_supporters
from app.delivery.worker import deliver_due
from app.models import CaseEvent, OutboxMessage, Signature
from app.models.statement import OrgSignature
from app.sealing.keys import read_key_file
from tests.builders import make_appeal, make_keyed_group
from tests.conftest import csrf_token
from tests.i18n.helpers import sign_in
from tests.statements.helpers import last_body, link_path, make_statement, press
from tests.statements.helpers import sign as sign_statement


def _confirm_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/confirm/\S+)", body).group(1)


def test_russian_signer_gets_a_russian_confirmation_leading_to_a_russian_page(client, db, smtp):
    appeal = make_appeal(slug="ru-signer")
    assert sign_in(client, appeal.slug, "?lang=ru").status_code == 303
    assert db.session.scalar(select(Signature.language)) == "ru"

    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == "Подтвердите свою подпись: Free the journalist"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert text.startswith("Здравствуйте, Айгерим Султанова!")
    assert "Подпись будет учтена только после подтверждения." in text
    assert '<html lang="ru">' in html and "Спасибо, что поддержали обращение" in html
    path = _confirm_path(text)
    assert path.endswith("?lang=ru")

    client.delete_cookie("lang")  # the link alone carries the language
    page = client.get(path)
    assert '<html lang="ru">' in page.get_data(as_text=True)
    assert "Подтвердить подпись" in page.get_data(as_text=True)
    done = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert "Спасибо! Ваша подпись подтверждена" in done.get_data(as_text=True)


def test_language_of_the_page_is_the_language_of_the_e_mail(client, db):
    make_appeal(slug="three")
    sign_in(client, "three", headers={"Accept-Language": "kk"}, email="kk@example.org")
    sign_in(client, "three", "?lang=en", email="en@example.org")
    rows = dict(db.session.execute(select(Signature.email, Signature.language)).all())
    assert rows == {"kk@example.org": "kk", "en@example.org": "en"}
    subjects = dict(db.session.execute(select(OutboxMessage.to_addr, OutboxMessage.subject)).all())
    assert subjects["kk@example.org"] == "Қолтаңбаңызды растаңыз: Free the journalist"
    assert subjects["en@example.org"] == "Please confirm your signature: Free the journalist"


def test_already_signed_notice_is_in_the_signers_language(client, db):
    make_appeal(slug="again")
    sign_in(client, "again", "?lang=ru")
    signature = db.session.scalar(select(Signature))
    signature.status = "confirmed"
    db.session.commit()
    sign_in(client, "again", "?lang=ru")
    last = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert last.kind == "already_signed"
    assert last.subject == "Вы уже подписали обращение: Free the journalist"
    assert "Ваша подпись уже подтверждена" in last.body_text


def test_case_updates_go_to_each_signer_in_their_language(client, db):
    group, key = make_keyed_group()
    appeal = make_appeal(slug="news", group=group)
    sign_in(client, "news", "?lang=ru", email="ru@example.org", wants_updates="y")
    sign_in(client, "news", "?lang=kk", email="kk@example.org", wants_updates="y")
    for signature in db.session.scalars(select(Signature)):
        signature.status = "confirmed"
    event = CaseEvent(appeal=appeal, date=date(2024, 3, 5), kind="hearing", title="Hearing set")
    db.session.add(event)
    db.session.commit()
    assert notify_supporters(appeal, event, read_key_file(key.encode(), group)) == 2
    updates = {m.to_addr: m for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "case_update"))}
    russian, kazakh = updates["ru@example.org"], updates["kk@example.org"]
    assert russian.subject.startswith("Новости: Free the journalist")
    assert "5 марта 2024" in russian.body_text and "Отписаться от этих писем:" in russian.body_text
    assert "/unsubscribe/" in russian.body_text and "?lang=ru" in russian.body_text
    assert kazakh.subject.startswith("Жаңалық:") and "Бұл хаттардан бас тарту:" in kazakh.body_text


def test_organisation_contact_is_written_to_in_the_language_they_signed_in(client, db):
    statement = make_statement()
    client.get(f"/statements/{statement.slug}?lang=ru")  # the language link, kept in a cookie
    assert sign_statement(client, statement.slug).status_code == 303
    signature = db.session.scalar(select(OrgSignature))
    assert signature.language == "ru"
    body = last_body(signature.contact_email)
    assert body.startswith("Здравствуйте,") and "Подтвердите подпись" in body
    confirm = link_path(body, "confirm")
    assert confirm.endswith("?lang=ru")
    page = press(client, confirm).get_data(as_text=True)
    assert "Спасибо! Подпись подтверждена" in page


def test_the_confirmation_names_the_appeal_and_its_group_as_the_signer_read_them(client, db):
    """A Russian signer read the appeal's Russian title on the page, then got an e-mail naming it
    (and signed by the group) in English; a Kazakh reader sees the Russian text, as on the page."""
    group, _key = make_keyed_group(name="Adil Soz")
    appeal = make_appeal(slug="translated", group=group)
    appeal.translations = {"ru": {"title": "Освободите журналиста", "organisation": "Фонд «Адил соз»"}}
    db.session.commit()
    sign_in(client, "translated", "?lang=ru", email="ru@example.org")
    sign_in(client, "translated", "?lang=kk", email="kk@example.org")
    sign_in(client, "translated", "?lang=en", email="en@example.org")
    mails = {row.to_addr: row for row in db.session.scalars(select(OutboxMessage))}
    for address in ("ru@example.org", "kk@example.org"):
        assert mails[address].subject.endswith(": Освободите журналиста"), address
        assert "«Освободите журналиста»" in mails[address].body_text
        assert mails[address].body_text.rstrip().endswith("Фонд «Адил соз»")
    assert mails["en@example.org"].subject.endswith(": Free the journalist")
    assert mails["en@example.org"].body_text.rstrip().endswith("Adil Soz")
