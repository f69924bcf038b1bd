"""The outbox worker against a real SMTP server on loopback."""

from __future__ import annotations

import threading
from datetime import timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.delivery import service
from app.delivery.worker import claim_due, deliver_due, run_worker
from app.models import Delivery, OutboxMessage, utcnow
from tests.builders import make_appeal, make_post
from tests.conftest import free_port
from tests.delivery.helpers import confirmed_signer, queue_plain


def _official_appeal(db, *, state: str = "open", contacts=(("email", "minister@gov.example.kz"),),
                     max_per_hour=None):
    post = make_post(contacts=list(contacts))
    appeal = make_appeal(posts=[post], state="open")
    confirmed_signer(appeal, name="Aigerim Sultanova", named=True)
    confirmed_signer(appeal, name="Bolat Nurlanov")
    service.save_policy(appeal, send_email=True, send_fax=True, batching="daily",
                        max_per_domain_per_hour=max_per_hour)
    if state != "open":
        appeal.state = state
        db.session.commit()
    return appeal, post


def test_delivery_batch_arrives_with_letter_pdf_and_headers(db, smtp, app):
    appeal, post = _official_appeal(db)
    appeal.group = None
    assert service.run_batches() == 1
    row = db.session.scalar(select(OutboxMessage))
    recorded_id = row.message_id  # None until claimed
    assert recorded_id is None
    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    db.session.expire_all()
    row = db.session.scalar(select(OutboxMessage))
    assert mail["Message-ID"] == row.message_id  # recorded before it was sent
    assert mail["To"] == "minister@gov.example.kz"
    assert mail["Subject"] == "Free the journalist"
    assert "Appeal Desk" in mail["From"]
    body = mail.get_body(("plain",)).get_content()
    assert "2 people have signed it" in body and "Aigerim Sultanova, KZ" in body
    assert "Bolat" not in body  # counted, not named
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_filename() == f"{appeal.slug}-{post.slug}.pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    delivery = db.session.scalar(select(Delivery))
    assert (delivery.status, delivery.channel, delivery.signature_count) == ("sent", "email", 2)
    assert delivery.pages and delivery.pages >= 1


def test_refused_then_accepted_message_is_sent_once(db, smtp):
    [row_id] = queue_plain(1)
    smtp.refuse = True
    assert deliver_due() == 0
    row = db.session.get(OutboxMessage, row_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "451 4.3.0 Try again later"
    first_id = row.message_id
    smtp.refuse = False
    assert deliver_due() == 1
    assert deliver_due() == 0
    messages = smtp.wait_for(1)
    assert len(messages) == 1 and messages[0]["Message-ID"] == first_id
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row_id).status == "sent"


def test_gives_up_after_max_attempts_with_the_servers_answer(db, smtp, app):
    [row_id] = queue_plain(1)
    smtp.refuse = True
    app.config["OUTBOX_MAX_ATTEMPTS"], saved = 3, app.config["OUTBOX_MAX_ATTEMPTS"]
    try:
        for _ in range(5):
            deliver_due()
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = saved
    row = db.session.get(OutboxMessage, row_id)
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error == "451 4.3.0 Try again later"
    assert smtp.messages == []


def test_backoff_doubles_between_attempts(db, smtp, app):
    [row_id] = queue_plain(1)
    smtp.refuse = True
    app.config["OUTBOX_BACKOFF_BASE_S"] = 60
    try:
        deliver_due()
        first = db.session.get(OutboxMessage, row_id)
        delay1 = (first.next_attempt_at - utcnow()).total_seconds()
        first.next_attempt_at = utcnow()
        db.session.commit()
        deliver_due()
        second = db.session.get(OutboxMessage, row_id)
        delay2 = (second.next_attempt_at - utcnow()).total_seconds()
    finally:
        app.config["OUTBOX_BACKOFF_BASE_S"] = 0
    assert 50 < delay1 <= 60 and 110 < delay2 <= 120


class _Counting:
    """An SMTP handler that counts connections and refuses one chosen recipient with 550."""

    def __init__(self, refuse_to: str | None = None):
        self.connections, self.messages, self.resets = 0, [], 0
        self.refuse_to = refuse_to

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802, ANN001
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RSET(self, server, session, envelope):  # noqa: N802, ANN001
        self.resets += 1
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802, ANN001
        if address == self.refuse_to:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.messages.append(envelope.content)
        return "250 OK"


def _serve(app, handler):
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    mail = app.extensions["mail"]
    saved = (mail.server, mail.port)
    mail.server, mail.port = "127.0.0.1", port
    return controller, saved


def test_one_connection_per_batch_renewed_every_n_and_reset_after_refusal(db, app):
    handler = _Counting(refuse_to="nobody@example.org")
    controller, saved = _serve(app, handler)
    app.config["OUTBOX_RECONNECT_EVERY"] = 4
    try:
        queue_plain(5)
        bad = queue_plain(1, to="nobody@example.org")[0]
        queue_plain(4)
        assert deliver_due(limit=50) == 9
    finally:
        controller.stop()
        app.extensions["mail"].server, app.extensions["mail"].port = saved
        app.config["OUTBOX_RECONNECT_EVERY"] = 100
    assert len(handler.messages) == 9
    assert handler.connections == 3  # 9 sent, a new connection after every 4
    assert handler.resets >= 1
    row = db.session.get(OutboxMessage, bad)
    assert row.status == "failed"  # 5xx is final: no retry
    assert row.last_error == "recipient refused: 550 5.1.1 No such mailbox"


def test_smtp_down_keeps_messages_for_later(db, app):
    # An address that needs SMTPUTF8 too: only the relay's own answer can make it final.
    ids = queue_plain(2) + queue_plain(1, to="пользователь@example.org")
    mail = app.extensions["mail"]
    saved = (mail.server, mail.port)
    mail.server, mail.port = "127.0.0.1", free_port()
    try:
        assert deliver_due() == 0
    finally:
        mail.server, mail.port = saved
    rows = [db.session.get(OutboxMessage, i) for i in ids]
    assert {(r.status, r.attempts) for r in rows} == {("pending", 1)}
    assert all("ConnectionRefusedError" in r.last_error for r in rows)


def test_throttle_sends_at_most_n_an_hour_to_one_domain(db, smtp, app):
    for i in range(5):
        queue_plain(1, to=f"office{i}@gov.example.kz", throttle_key="gov.example.kz",
                    throttle_per_hour=3)
    queue_plain(1, to="other@elsewhere.example", throttle_key="elsewhere.example",
                throttle_per_hour=3)
    assert deliver_due(limit=50) == 4
    assert deliver_due(limit=50) == 0
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    held = [r for r in rows if r.status == "pending"]
    assert len(held) == 2 and all(r.attempts == 0 for r in held)
    assert all(r.next_attempt_at > utcnow() + timedelta(minutes=50) for r in held)
    assert len(smtp.wait_for(4)) == 4
    # An hour later there is room again.
    for r in rows:
        if r.status == "sent":
            r.sent_at -= timedelta(hours=1, minutes=1)
        else:
            r.next_attempt_at = utcnow()
    db.session.commit()
    assert deliver_due(limit=50) == 2


def test_policy_throttle_reaches_the_outbox(db, smtp):
    appeal, _ = _official_appeal(db, max_per_hour=7)
    service.run_batches()
    row = db.session.scalar(select(OutboxMessage))
    assert (row.throttle_key, row.throttle_per_hour) == ("gov.example.kz", 7)


def test_paused_appeal_queues_nothing_and_holds_what_was_queued(db, smtp):
    appeal, _ = _official_appeal(db)
    service.run_batches()
    appeal.state = "paused"
    db.session.commit()
    queue_plain(1, kind="confirmation", appeal_id=appeal.id)  # not a letter: still goes
    assert deliver_due() == 1
    assert claim_due(10) == []
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "delivery_email")
                             ).status == "pending"
    confirmed_signer(appeal, name="Chingiz Aitmatov")
    assert service.run_batches(now=utcnow() + timedelta(days=1)) == 0
    appeal.state = "open"
    db.session.commit()
    assert deliver_due() == 1
    assert {m["To"] for m in smtp.wait_for(2)} == {"minister@gov.example.kz", "someone@example.org"}


def test_worker_loop_sends_what_is_queued_and_leaves_the_batch_to_its_command(db, smtp, app):
    _official_appeal(db)
    queue_plain(3)
    assert run_worker(drain=True) == 3  # the letters to officials are not queued by the worker
    result = app.test_cli_runner().invoke(args=["delivery", "batch"])
    assert result.exit_code == 0 and "1 message(s) queued" in result.output
    assert run_worker(drain=True) == 1
    assert {m["To"] for m in smtp.wait_for(4)} == {"someone@example.org", "minister@gov.example.kz"}


def test_two_worker_threads_do_not_share_a_message(db, smtp, app):
    queue_plain(60)
    counts = []

    def work():
        with app.app_context():
            total = 0
            while (n := deliver_due(limit=5)) or claim_due(0):
                total += n
            counts.append(total)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(counts) == 60
    ids = [m["Message-ID"] for m in smtp.wait_for(60)]
    assert len(ids) == len(set(ids)) == 60


class _DropsOnce(_Counting):
    """Answers 421 and closes the connection on the third message, once."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        if len(self.messages) == 2 and not getattr(self, "dropped", False):
            self.dropped = True
            return "421 4.3.2 Shutting down"
        return await super().handle_DATA(server, session, envelope)


def test_connection_dropped_by_the_server_is_reopened_for_the_rest(db, app):
    handler = _DropsOnce()
    controller, saved = _serve(app, handler)
    try:
        ids = queue_plain(5)
        assert deliver_due(limit=50) == 4
        row = db.session.get(OutboxMessage, ids[2])
        assert (row.status, row.attempts, row.last_error) == ("pending", 1, "421 4.3.2 Shutting down")
        db.session.commit()
        assert deliver_due(limit=50) == 1
    finally:
        controller.stop()
        app.extensions["mail"].server, app.extensions["mail"].port = saved
    assert len(handler.messages) == 5
    assert handler.connections == 3  # the first, the one reopened after 421, the retry's
