"""The worker's SMTP session against a real aiosmtpd: refusals, one kept connection, SMTPUTF8,
and each result committed before the next message goes out."""

from __future__ import annotations

import contextlib
import signal
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.delivery.worker import deliver_due, run_worker
from app.models import OutboxMessage
from tests.conftest import free_port
from tests.delivery.helpers import queue_plain


class _Relay:
    """Refuses the n-th MAIL, or a recipient, or (at end-of-data) mail for a recipient, once
    per answer listed; counts connections, RSETs and QUITs; can check each message."""

    def __init__(self, *, refuse_mail: dict[int, str] | None = None,
                 refuse_rcpt: dict[str, str] | None = None,
                 refuse_data: dict[str, list[str]] | None = None, check=None):
        self.refuse_mail = refuse_mail or {}
        self.refuse_rcpt = refuse_rcpt or {}
        self.refuse_data = refuse_data or {}
        self.check = check  # called with each message before it is accepted
        self.connections = self.mails = self.resets = self.quits = 0
        self.messages = []
        self.envelopes = []  # (MAIL FROM options, RCPT TO addresses) of each accepted message

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802, ANN001
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, options):  # noqa: N802, ANN001
        self.mails += 1
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
        for address in envelope.rcpt_tos:
            answers = self.refuse_data.get(address)
            if answers:
                return answers.pop(0)
        message = message_from_bytes(envelope.original_content or envelope.content,
                                     policy=policy.default)
        if self.check:
            self.check(message)
        self.messages.append(message)
        self.envelopes.append((list(envelope.mail_options), list(envelope.rcpt_tos)))
        return "250 OK"


@contextlib.contextmanager
def _serving(app, relay: _Relay, *, smtputf8: bool = False, **config):
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port, enable_SMTPUTF8=smtputf8)
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
        ("failed", 1, "550 5.7.1 Sender not allowed"),
        ("failed", 1, "recipient refused: 550 5.1.1 No such mailbox"),
        ("failed", 1, "554 5.6.0 Message refused"),  # refused at end-of-data: 5xx is final
        ("pending", 1, "451 4.3.0 Try again later"),  # temporary: tried again later
        ("sent", 0, None),
        ("sent", 0, None),
    ]
    assert relay.connections == 1
    assert relay.resets >= 4  # a clean transaction after each refusal
    assert sorted(m.get_content().splitlines() for m in relay.messages) == [
        ["Body 0"], ["Body 0"], ["Body 1"]]
    assert all(m["To"] == "someone@example.org" for m in relay.messages)


class _ClosesOnSecond(_Relay):
    """Answers the second message's end-of-data with 421 (closing the connection), once."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        self.seen = getattr(self, "seen", 0) + 1
        if self.seen == 2:
            return "421 4.3.2 Shutting down"
        return await super().handle_DATA(server, session, envelope)


def test_server_closing_with_421_is_retried_later_and_the_rest_go_over_a_new_connection(db, app):
    ids = queue_plain(4)
    with _serving(app, _ClosesOnSecond()) as relay:
        assert deliver_due(limit=50) == 3
    rows = _rows(db, ids)
    assert [(r.status, r.attempts) for r in rows] == [
        ("sent", 0), ("pending", 1), ("sent", 0), ("sent", 0)]
    assert rows[1].last_error == "421 4.3.2 Shutting down"
    assert relay.connections == 2
    assert sorted(m["Message-ID"] for m in relay.messages) == sorted(
        r.message_id for r in rows if r.status == "sent")


def test_worker_keeps_one_connection_across_rounds_and_renews_it(db, app):
    queue_plain(10)
    with _serving(app, _Relay(), OUTBOX_BATCH_SIZE=3) as relay:
        assert run_worker(drain=True) == 10
    assert (relay.connections, relay.quits) == (1, 1)  # four rounds, one connection, closed
    queue_plain(10)
    with _serving(app, _Relay(), OUTBOX_BATCH_SIZE=3, OUTBOX_RECONNECT_EVERY=4) as relay:
        assert run_worker(drain=True) == 10
    assert (relay.connections, relay.quits) == (3, 3)  # renewed after 4 and 8 messages
    assert len(relay.messages) == 10


def test_each_result_is_committed_before_the_next_message_is_sent(db, app):
    """The at-least-once window: when the server takes message k+1, the row of message k
    already reads "sent" from another connection."""
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
        with _serving(app, _Relay(check=previous_recorded), OUTBOX_BATCH_SIZE=5):
            assert run_worker(drain=True) == 12
    finally:
        engine.dispose()
    assert len(seen) == 12
    assert [status for _, status in seen[:-1]] == ["sent"] * 11
    assert {r.status for r in _rows(db, ids)} == {"sent"}


def test_body_arrives_as_written_with_crlf_and_no_from_quoting(db, app):
    from app.extensions import db as database
    from app.outbox import queue_email

    queue_email(kind="test", to="reader@example.org", subject="Тема",
                body_text="Текст.\nFrom the group\n.a line with a dot\n")
    database.session.commit()
    with _serving(app, _Relay()) as relay:
        assert deliver_due() == 1
    [message] = relay.messages
    assert message.get_content().splitlines() == ["Текст.", "From the group", ".a line with a dot"]
    assert message["Subject"] == "Тема"


def test_run_worker_gives_back_the_signal_handlers_it_found(db, app):
    def mine(_signum, _frame):  # noqa: ANN001
        return None

    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGTERM, mine)
    try:
        queue_plain(1)
        with _serving(app, _Relay()):
            assert run_worker(drain=True) == 1
        assert signal.getsignal(signal.SIGTERM) is mine
        assert signal.getsignal(signal.SIGINT) is saved[1]
    finally:
        signal.signal(signal.SIGTERM, saved[0])


# --- Addresses the relay may not carry ----------------------------------------------------------


def test_international_local_part_without_smtputf8_fails_for_good_with_a_clear_reason(db, app):
    [bad] = queue_plain(1, to="пользователь@example.org")
    good = queue_plain(1)
    with _serving(app, _Relay()) as relay:
        assert deliver_due() == 1
        assert deliver_due() == 0  # not retried
    row = _rows(db, [bad])[0]
    assert (row.status, row.attempts) == ("failed", 1)
    assert "SMTPUTF8" in row.last_error and "пользователь" not in row.last_error
    assert _rows(db, good)[0].status == "sent"
    assert [m["To"] for m in relay.messages] == ["someone@example.org"]


def test_international_local_part_goes_out_with_smtputf8_where_the_relay_offers_it(db, app):
    [row_id] = queue_plain(1, to="пользователь@example.org")
    with _serving(app, _Relay(), smtputf8=True) as relay:
        assert deliver_due() == 1
    [(options, recipients)] = relay.envelopes
    assert "SMTPUTF8" in options and recipients == ["пользователь@example.org"]
    assert relay.messages[0]["To"] == "пользователь@example.org"
    assert _rows(db, [row_id])[0].status == "sent"


def test_international_domain_is_sent_in_ascii_to_a_relay_without_smtputf8(db, app):
    [row_id] = queue_plain(1, to="reader@пример.рф")
    with _serving(app, _Relay()) as relay:
        assert deliver_due() == 1
    [(options, recipients)] = relay.envelopes
    assert recipients == ["reader@xn--e1afmkfd.xn--p1ai"] and "SMTPUTF8" not in options
    assert _rows(db, [row_id])[0].status == "sent"


def test_a_message_that_cannot_be_built_fails_for_good_and_the_rest_go_out(db, app):
    [bad] = queue_plain(1)
    good = queue_plain(1)
    # Written past queue_email's check (an older row, a hand edit): a line break in a header.
    db.session.get(OutboxMessage, bad).subject = "Hello\nBcc: victim@example.org"
    db.session.commit()
    with _serving(app, _Relay()) as relay:
        assert deliver_due() == 1
        assert deliver_due() == 0
    row = _rows(db, [bad])[0]
    assert (row.status, row.attempts) == ("failed", 1)
    assert "linefeed or carriage return" in row.last_error
    assert _rows(db, good)[0].status == "sent"
    assert [m["Subject"] for m in relay.messages] == ["Message 0"]
