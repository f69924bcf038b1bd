"""The worker against a real aiosmtpd that offers PIPELINING, as production relays do."""

from __future__ import annotations

import contextlib
import smtplib
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from app.delivery import service
from app.delivery.worker import _new_session, deliver_due, run_worker
from app.models import Delivery, OutboxMessage
from tests.builders import make_appeal, make_post
from tests.conftest import free_port
from tests.delivery.helpers import confirmed_signer, queue_plain


class _Relay:
    """Offers PIPELINING (unless told not to) and notes what was already buffered behind each
    MAIL and each end-of-data, so a test can see which commands came in one write. Refuses
    the n-th MAIL, or a recipient, or (at end-of-data) mail for a recipient, once per answer
    listed."""

    def __init__(self, *, pipelining: bool = True, refuse_mail: dict[int, str] | None = None,
                 refuse_rcpt: dict[str, str] | None = None,
                 refuse_data: dict[str, list[str]] | None = None, check=None):
        self.pipelining = pipelining
        self.refuse_mail = refuse_mail or {}
        self.refuse_rcpt = refuse_rcpt or {}
        self.refuse_data = refuse_data or {}
        self.check = check  # called with each message before it is accepted
        self.connections = self.mails = self.resets = self.quits = 0
        self.behind_mail: list[bytes] = []
        self.behind_dot: list[bytes] = []
        self.messages = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802, ANN001
        self.connections += 1
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: N802, ANN001
        self.mails += 1
        self.behind_mail.append(bytes(server._reader._buffer))
        if self.mails in self.refuse_mail:
            return self.refuse_mail[self.mails]
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802, ANN001
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_RSET(self, server, session, envelope):  # noqa: N802, ANN001
        self.resets += 1
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802, ANN001
        self.quits += 1
        return "221 Bye"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.behind_dot.append(bytes(server._reader._buffer))
        for address in envelope.rcpt_tos:
            answers = self.refuse_data.get(address)
            if answers:
                return answers.pop(0)
        message = message_from_bytes(envelope.content, policy=policy.default)
        if self.check:
            self.check(message)
        self.messages.append(message)
        return "250 OK"


@contextlib.contextmanager
def _serving(app, relay: _Relay, **config):
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    mail = app.extensions["mail"]
    saved_mail, saved_config = (mail.server, mail.port), {k: app.config[k] for k in config}
    mail.server, mail.port = "127.0.0.1", port
    app.config.update(config)
    try:
        yield relay
    finally:
        controller.stop()
        mail.server, mail.port = saved_mail
        app.config.update(saved_config)


def _rows(db, ids):
    db.session.expire_all()
    return [db.session.get(OutboxMessage, i) for i in ids]


def test_pipelined_batch_arrives_intact_with_headers_and_attachments(db, app):
    post = make_post(contacts=[("email", "minister@gov.example.kz")])
    appeal = make_appeal(posts=[post], state="open")
    appeal.group = None
    confirmed_signer(appeal, name="Aigerim Sultanova", named=True)
    service.save_policy(appeal, send_email=True, send_fax=False, batching="daily",
                        max_per_domain_per_hour=None)
    assert service.run_batches() == 1
    ids = queue_plain(6, to="reader@example.org")
    with _serving(app, _Relay()) as relay:
        assert deliver_due(limit=50) == 7
    assert relay.connections == 1
    # MAIL, RCPT and DATA came in one write; each end-of-data brought the next envelope.
    assert all(b.startswith(b"RCPT TO:<") and b.endswith(b"DATA\r\n") for b in relay.behind_mail)
    assert [b.startswith(b"MAIL FROM:<appeals@localhost>") for b in relay.behind_dot] == [True] * 6 + [False]
    rows = {row.message_id: row for row in db.session.scalars(select(OutboxMessage))}
    assert {m["Message-ID"] for m in relay.messages} == set(rows)
    assert {row.status for row in rows.values()} == {"sent"}
    [letter] = [m for m in relay.messages if m["To"] == "minister@gov.example.kz"]
    assert "Aigerim Sultanova, KZ" in letter.get_body(("plain",)).get_content()
    [pdf] = list(letter.iter_attachments())
    assert pdf.get_filename() == f"{appeal.slug}-{post.slug}.pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    assert db.session.scalar(select(Delivery)).status == "sent"
    plain = sorted((m for m in relay.messages if m["To"] == "reader@example.org"),
                   key=lambda m: m["Subject"])
    assert [m["Subject"] for m in plain] == [f"Message {i}" for i in range(6)]
    assert [m.get_content().splitlines() for m in plain] == [[f"Body {i}"] for i in range(6)]
    assert all(r.status == "sent" for r in _rows(db, ids))


def test_refusals_are_recorded_and_the_rest_go_out_on_the_same_connection(db, app):
    ids = queue_plain(2)
    ids += queue_plain(1, to="nobody@example.org")
    ids += queue_plain(1, to="full@example.org")
    ids += queue_plain(1, to="later@example.org")
    ids += queue_plain(2)
    relay = _Relay(refuse_mail={2: "550 5.7.1 Sender not allowed"},
                   refuse_rcpt={"nobody@example.org": "550 5.1.1 No such mailbox"},
                   refuse_data={"full@example.org": ["554 5.6.0 Message refused"],
                                "later@example.org": ["451 4.3.0 Try again later"]})
    with _serving(app, relay):
        assert deliver_due(limit=50) == 3
    rows = _rows(db, ids)
    assert [(r.status, r.attempts, r.last_error) for r in rows] == [
        ("sent", 0, None),
        ("failed", 1, "550 5.7.1 Sender not allowed"),  # MAIL refused: RCPT and DATA got 503s
        ("failed", 1, "recipient refused: 550 5.1.1 No such mailbox"),
        ("failed", 1, "554 5.6.0 Message refused"),  # refused at end-of-data
        ("pending", 1, "451 4.3.0 Try again later"),  # temporary: tried again later
        ("sent", 0, None),
        ("sent", 0, None),
    ]
    assert relay.connections == 1
    # Nothing of a refused transaction (nor an RSET) ended up in the next message.
    assert sorted(m.get_content().splitlines() for m in relay.messages) == [
        ["Body 0"], ["Body 0"], ["Body 1"]]
    assert all(m["To"] == "someone@example.org" for m in relay.messages)


def test_refused_then_accepted_is_sent_once_with_pipelining(db, app):
    ids = queue_plain(3)
    relay = _Relay(refuse_data={"someone@example.org": ["451 4.3.0 Try again later"]})
    with _serving(app, relay):
        assert deliver_due() == 2
        first = _rows(db, ids)[0]
        assert (first.status, first.attempts) == ("pending", 1)
        refused_id = first.message_id
        assert deliver_due() == 1
        assert deliver_due() == 0
    assert sorted(m["Message-ID"] for m in relay.messages) == sorted(r.message_id for r in _rows(db, ids))
    assert [m["Message-ID"] for m in relay.messages].count(refused_id) == 1
    assert {r.status for r in _rows(db, ids)} == {"sent"}


class _ClosesOnSecond(_Relay):
    """Answers the second message's end-of-data with 421 (closing), once."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        if len(self.behind_dot) == 1:
            self.behind_dot.append(bytes(server._reader._buffer))
            return "421 4.3.2 Shutting down"
        return await super().handle_DATA(server, session, envelope)


def test_server_closing_at_end_of_data_leaves_the_waiting_envelope_untried(db, app):
    ids = queue_plain(4)
    with _serving(app, _ClosesOnSecond()) as relay:
        assert deliver_due(limit=50) == 3
    rows = _rows(db, ids)
    assert [(r.status, r.attempts) for r in rows] == [
        ("sent", 0), ("pending", 1), ("sent", 0), ("sent", 0)]  # the third: no attempt lost
    assert rows[1].last_error == "421 4.3.2 Shutting down"
    assert relay.behind_dot[1].startswith(b"MAIL FROM:")  # the third's envelope was waiting
    assert relay.connections == 2
    assert sorted(m["Message-ID"] for m in relay.messages) == sorted(
        r.message_id for r in rows if r.status == "sent")


def test_one_refused_recipient_of_two_does_not_stop_the_message(app_ctx):
    relay = _Relay(refuse_rcpt={"gone@example.org": "550 5.1.1 No such mailbox",
                                "gone2@example.org": "551 5.1.6 Moved"})
    with _serving(app_ctx, relay):
        session = _new_session()
        try:
            data = b"Subject: two\r\n\r\nHello\r\n"
            session.send("appeals@localhost", ["here@example.org", "gone@example.org"], data)
            with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
                session.send("appeals@localhost", ["gone@example.org", "gone2@example.org"], data)
            session.reset()
            session.send("appeals@localhost", ["here@example.org"], data)
            assert session.pipelining
        finally:
            session.close()
    assert refused.value.recipients == {"gone@example.org": (550, b"5.1.1 No such mailbox"),
                                        "gone2@example.org": (551, b"5.1.6 Moved")}
    assert len(relay.messages) == 2 and relay.connections == 1 and relay.quits == 1


def test_without_pipelining_offered_each_command_waits_for_its_reply(db, app):
    ids = queue_plain(5)
    ids += queue_plain(1, to="nobody@example.org")
    relay = _Relay(pipelining=False,
                   refuse_rcpt={"nobody@example.org": "550 5.1.1 No such mailbox"})
    with _serving(app, relay):
        assert deliver_due(limit=50) == 5
    assert relay.behind_mail == [b""] * 6 and relay.behind_dot == [b""] * 5
    assert [r.status for r in _rows(db, ids)] == ["sent"] * 5 + ["failed"]
    assert relay.connections == 1


def test_worker_keeps_one_connection_across_rounds_and_renews_it(db, app):
    queue_plain(10)
    with _serving(app, _Relay(), OUTBOX_BATCH_SIZE=3, DELIVERY_BATCH_INTERVAL_S=0) as relay:
        assert run_worker(drain=True) == 10
    assert (relay.connections, relay.quits) == (1, 1)  # four rounds, one connection, closed
    queue_plain(10)
    with _serving(app, _Relay(), OUTBOX_BATCH_SIZE=3, OUTBOX_RECONNECT_EVERY=4,
                  DELIVERY_BATCH_INTERVAL_S=0) as relay:
        assert run_worker(drain=True) == 10
    assert (relay.connections, relay.quits) == (3, 3)  # renewed after 4 and 8 messages
    assert len(relay.messages) == 10


def test_each_result_is_committed_before_the_next_end_of_data(db, app):
    """The at-least-once window: when the server takes message k+1 (its end-of-data), the
    row of message k already reads "sent" from another connection."""
    ids = queue_plain(12)
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=NullPool)
    seen: list[tuple[str, str | None]] = []

    def previous_recorded(message):  # noqa: ANN001, ANN202
        if seen:
            with engine.connect() as connection:
                status = connection.execute(
                    text("SELECT status FROM outbox_messages WHERE message_id = :m"),
                    {"m": seen[-1][0]}).scalar()
            seen[-1] = (seen[-1][0], status)
        seen.append((message["Message-ID"], None))

    try:
        with _serving(app, _Relay(check=previous_recorded), OUTBOX_BATCH_SIZE=5,
                      DELIVERY_BATCH_INTERVAL_S=0):
            assert run_worker(drain=True) == 12
    finally:
        engine.dispose()
    assert len(seen) == 12
    assert [status for _, status in seen[:-1]] == ["sent"] * 11
    assert {r.status for r in _rows(db, ids)} == {"sent"}
