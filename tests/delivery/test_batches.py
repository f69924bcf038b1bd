"""Letters sent by the service: daily batches, per-signer letters, faxes through the gateway."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.delivery import service
from app.delivery.service import FaxGatewayError, FaxNumberError, fax_address
from app.delivery.worker import deliver_due
from app.models import Delivery, OutboxAttachment, OutboxMessage, utcnow
from tests.builders import make_appeal, make_group, make_post
from tests.delivery.helpers import confirmed_signer


def test_fax_gateway_address_is_built_from_the_e164_number():
    assert fax_address("+77172720516", "{number}@fax.example.org") == "77172720516@fax.example.org"
    assert fax_address("+7 7172 72-05-16", "fax-{number}@gw.example") == "fax-77172720516@gw.example"
    with pytest.raises(FaxNumberError):
        fax_address("87172720516", "{number}@fax.example.org")
    with pytest.raises(FaxGatewayError):
        fax_address("+77172720516", None)
    with pytest.raises(FaxGatewayError):
        fax_address("+77172720516", "fax.example.org")


def _appeal(db, *, contacts, batching="daily", send_email=True, send_fax=False, group=None):
    post = make_post(contacts=contacts)
    appeal = make_appeal(posts=[post], group=group)
    service.save_policy(appeal, send_email=send_email, send_fax=send_fax, batching=batching,
                        max_per_domain_per_hour=None)
    return appeal, post


def test_fax_goes_to_the_gateway_with_the_letter_attached(db, app, smtp):
    app.config["FAX_GATEWAY"] = "{number}@fax.example.org"
    try:
        appeal, post = _appeal(db, contacts=[("fax", "+77172720516")], send_email=False,
                               send_fax=True)
        confirmed_signer(appeal)
        assert service.run_batches() == 1
    finally:
        app.config["FAX_GATEWAY"] = None
    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "77172720516@fax.example.org"
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    delivery = db.session.scalar(select(Delivery))
    assert (delivery.channel, delivery.status) == ("fax", "sent")


def test_no_fax_without_a_gateway(db):
    appeal, _ = _appeal(db, contacts=[("fax", "+77172720516")], send_email=False, send_fax=True)
    confirmed_signer(appeal)
    assert service.run_batches() == 0


def test_one_batch_per_official_per_day_carrying_only_new_signatures(db):
    group = make_group()
    group.email = "team@adilsoz.example"
    appeal, post = _appeal(db, contacts=[("email", "x@example.org")], group=group)
    confirmed_signer(appeal, name="Aigerim Sultanova")
    confirmed_signer(appeal, name="Bolat Nurlanov")
    confirmed_signer(appeal, name="Pending Person", status="pending")
    now = utcnow()
    assert service.run_batches(now=now) == 1
    first = db.session.scalar(select(OutboxMessage))
    assert first.reply_to == "team@adilsoz.example"
    assert "2 people have signed" in first.body_text
    confirmed_signer(appeal, name="Chingiz Aitmatov")
    assert service.run_batches(now=now) == 0  # same day
    assert service.run_batches(now=now + timedelta(days=1)) == 1
    second = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert "1 person has signed it since our last letter (3 in all)" in second.body_text
    assert service.run_batches(now=now + timedelta(days=2)) == 0  # nothing new
    assert db.session.scalar(select(func.count()).select_from(OutboxAttachment)) == 2


def test_per_signer_batching_sends_one_letter_per_new_signer(db):
    appeal, post = _appeal(db, contacts=[("email", "x@example.org")], batching="per_signer")
    confirmed_signer(appeal, name="Aigerim Sultanova", named=True)
    confirmed_signer(appeal, name="Bolat Nurlanov", named=True)
    assert service.run_batches() == 2
    rows = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
    assert [(d.kind, d.signature_count) for d in rows] == [("signer", 1), ("signer", 1)]
    bodies = db.session.scalars(select(OutboxMessage.body_text).order_by(OutboxMessage.id)).all()
    assert "Aigerim Sultanova" in bodies[0] and "Bolat Nurlanov" in bodies[1]
    assert service.run_batches() == 0


def test_signers_who_chose_another_official_are_not_carried(db):
    first = make_post(contacts=[("email", "a@example.org")])
    second = make_post(slug="kz-prosecutor", contacts=[("email", "b@example.org")])
    appeal = make_appeal(posts=[first, second])
    service.save_policy(appeal, send_email=True, send_fax=False, batching="daily",
                        max_per_domain_per_hour=None)
    confirmed_signer(appeal, posts=[second])
    assert service.run_batches() == 1
    assert db.session.scalar(select(OutboxMessage.to_addr)) == "b@example.org"


def test_nothing_is_sent_for_an_appeal_without_a_policy(db):
    appeal = make_appeal(posts=[make_post(contacts=[("email", "x@example.org")])])
    confirmed_signer(appeal)
    assert service.run_batches() == 0


def test_flask_delivery_batch_command(db, app):
    appeal, _ = _appeal(db, contacts=[("email", "x@example.org")])
    confirmed_signer(appeal)
    result = app.test_cli_runner().invoke(args=["delivery", "batch"])
    assert result.exit_code == 0 and "1 message(s) queued" in result.output
    result = app.test_cli_runner().invoke(args=["delivery", "batch", "--appeal", "nope"])
    assert result.exit_code != 0 and "no appeal with slug 'nope'" in result.output


RUSSIAN = {"title": "Освободить журналиста", "summary": "Журналист находится под судом.",
           "subject": "Об освобождении журналиста",
           "demands": {"1": {"authority": "Министру", "text": "Освободить его."}}}


@pytest.mark.parametrize("translated", [True, False])
def test_batch_email_is_in_the_letters_language(db, smtp, translated):
    appeal, post = _appeal(db, contacts=[("email", "minister@gov.example")])
    post.preferred_language = "ru"
    if translated:
        appeal.translations = {"ru": RUSSIAN}
    db.session.commit()
    confirmed_signer(appeal)
    assert service.run_batches() == 1
    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    text = mail.get_body(("plain",)).get_content()
    if translated:
        assert mail["Subject"] == "Об освобождении журналиста"
        assert "Направляем Вам наше обращение «Освободить журналиста»" in text
        assert "Please find attached" not in text
    else:
        # No Russian text for this appeal: the letter is English, and so is its e-mail.
        assert mail["Subject"] == (appeal.letter_subject or appeal.title)
        assert f'Please find attached our appeal "{appeal.title}"' in text
        assert "Направляем" not in text


def test_web_form_post_gets_a_web_form_log_entry_with_the_text_to_paste(db, client, login):
    appeal, post = _appeal(db, contacts=[("web", "https://state.example/contact")])
    confirmed_signer(appeal)
    report = service.deliver_batches()
    assert report.queued == 0 and db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    entry = db.session.scalar(select(Delivery))
    assert (entry.channel, entry.status, entry.recipient) == (
        "web_form", "to_paste", "https://state.example/contact")
    assert "Free the journalist" in entry.note and "Release him." in entry.note
    assert report.lines() == ["test-appeal: web: 1 (Minister of Information)"]
    login()
    page = client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True)
    assert "Web form (text pasted by staff)" in page and "Web form: text to paste" in page


def test_the_batch_command_says_what_went_where_and_what_was_skipped(db, app):
    post = make_post(contacts=[("email", "minister@gov.example")])
    nowhere = make_post(slug="coe-sg", label="Secretary General", holder=None, contacts=[])
    postal = make_post(slug="pace", label="President of PACE", contacts=[("address", "Strasbourg")])
    appeal = make_appeal(posts=[post, nowhere, postal])
    service.save_policy(appeal, send_email=True, send_fax=False, batching="daily",
                        max_per_domain_per_hour=None)
    confirmed_signer(appeal)
    result = app.test_cli_runner().invoke(args=["delivery", "batch"])
    assert result.exit_code == 0, result.output
    assert "1 message(s) queued for officials" in result.output
    assert "test-appeal: email: 1 (Minister of Information)" in result.output
    assert "test-appeal: post: 1 (President of PACE)" in result.output
    assert "test-appeal: skipped Secretary General: no contact detail at all" in result.output
    assert "test-appeal: warning Secretary General: no named holder" in result.output
