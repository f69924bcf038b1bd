"""The outbox worker: claim due messages, send them over one SMTP connection, record the result.

Delivery is at-least-once with a narrow window: the Message-ID is stored when a row is claimed,
before anything is sent, and each result is committed before the next message's end-of-data
(while the server answers that message's MAIL command, or with PIPELINING its envelope). If
the worker dies after the SMTP server accepted a message but before that commit, the row is
claimed again once its lease (OUTBOX_LEASE_S) runs out and sent again with the same Message-ID,
so the receiving system can recognise the duplicate. Only that one message can be sent twice;
the rest of a killed worker's batch is sent once, after the lease.

When the server offers PIPELINING (RFC 2920; production relays do), a message's MAIL, RCPT and
DATA go out in one write, and the next message's envelope rides in the same write as this
one's end-of-data: one round trip a message instead of four. The connection is kept across
rounds while there is work (see run_worker), renewed every OUTBOX_RECONNECT_EVERY messages.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import signal
import smtplib
import socket
import ssl
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.encoders import encode_base64
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import formatdate, make_msgid

from flask import current_app
from flask_mail import sanitize_address
from sqlalchemy import and_, exists, func, or_, select, text, update
from sqlalchemy.engine import Dialect

from app.extensions import db
from app.models import Appeal, Delivery, OutboxAttachment, OutboxMessage, utcnow
from app.models.enums import AppealState, OutboxStatus

log = logging.getLogger(__name__)
SENT_BODY_PLACEHOLDER = "[sent; the body held a single-use link and was removed]"
# Letters to officials and news to supporters wait while their appeal is paused or a draft.
OFFICIAL_KINDS = ("delivery_email", "delivery_fax")
HELD_WHEN_PAUSED = (*OFFICIAL_KINDS, "case_update")
HELD_STATES = (AppealState.PAUSED, AppealState.DRAFT)
THROTTLE_WINDOW = timedelta(hours=1)
NO_SYNC = {"synchronize_session": False}  # results are plain UPDATEs; nothing to refresh


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


# --- Claiming --------------------------------------------------------------------------------


def claim_due(limit: int) -> list[int]:
    """Mark up to `limit` due messages as ours and return their ids. Commits.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets many workers claim disjoint rows at once.
    On SQLite the IMMEDIATE transaction already serialises claimers. Messages of a paused
    appeal are left where they are; throttled ones are pushed back to when their key has room.
    """
    now = utcnow()
    lease_expired = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_S"])
    held = and_(
        OutboxMessage.kind.in_(HELD_WHEN_PAUSED),
        exists().where(Appeal.id == OutboxMessage.appeal_id, Appeal.state.in_(HELD_STATES)),
    )
    # Two index range scans (ix_outbox_due) rather than one OR, which would sort the whole
    # backlog on every claim: leases that ran out first (rare), then what is due, oldest first.
    expired = _claimable(
        (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_at < lease_expired),
        held, OutboxMessage.claimed_at, limit)
    rows = [_Claim(*row) for row in db.session.execute(expired)]
    if len(rows) < limit:
        due = _claimable(
            (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
            held, OutboxMessage.next_attempt_at, limit - len(rows))
        rows += [_Claim(*row) for row in db.session.execute(due)]
    kept = _apply_throttle(rows, now)
    pushed_back = [{"id": row.id, "next_attempt_at": row.next_attempt_at}
                   for row in rows if row.next_attempt_at is not None]
    if pushed_back:
        db.session.execute(update(OutboxMessage), pushed_back)
    if kept:
        # Plain executemany UPDATEs by primary key (the ORM's bulk form): no objects loaded.
        me = worker_id()
        domain = _message_id_domain()
        db.session.execute(update(OutboxMessage), [
            {"id": row.id, "status": OutboxStatus.SENDING, "claimed_at": now, "claimed_by": me,
             "message_id": row.message_id or make_msgid(domain=domain)} for row in kept])
    db.session.commit()
    return [row.id for row in kept]


class _Claim:
    """The columns claiming needs from a due row."""

    __slots__ = ("id", "message_id", "throttle_key", "throttle_per_hour", "next_attempt_at")

    def __init__(self, id: int, message_id: str | None, throttle_key: str | None,  # noqa: A002
                 throttle_per_hour: int | None):
        self.id, self.message_id = id, message_id
        self.throttle_key, self.throttle_per_hour = throttle_key, throttle_per_hour
        self.next_attempt_at: datetime | None = None  # set when the throttle pushes it back


def _claimable(condition, held, order, limit: int):  # noqa: ANN001
    query = (select(OutboxMessage.id, OutboxMessage.message_id, OutboxMessage.throttle_key,
                    OutboxMessage.throttle_per_hour).where(condition, ~held)
             .order_by(order, OutboxMessage.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=OutboxMessage)
    return query


def _apply_throttle(rows: list[_Claim], now: datetime) -> list[_Claim]:
    """Keep the rows whose throttle key has room this hour; push the others back (no attempt)."""
    keys = sorted({row.throttle_key for row in rows if row.throttle_key and row.throttle_per_hour})
    room: dict[str, int] = {}
    for key in keys:
        if db.engine.dialect.name == "postgresql":
            # Workers claiming for the same key count one after the other (until commit).
            db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": key})
        used = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.throttle_key == key,
                or_(
                    (OutboxMessage.status == OutboxStatus.SENT)
                    & (OutboxMessage.sent_at > now - THROTTLE_WINDOW),
                    OutboxMessage.status == OutboxStatus.SENDING,
                ),
            )
        )
        room[key] = used
    kept = []
    for row in rows:
        key = row.throttle_key
        if key is None or not row.throttle_per_hour:
            kept.append(row)
        elif room[key] < row.throttle_per_hour:
            room[key] += 1
            kept.append(row)
        else:
            row.next_attempt_at = _next_room(key, now)
    return kept


def _next_room(key: str, now: datetime) -> datetime:
    """When the oldest send counted in the window leaves it (at least a minute from now)."""
    oldest = db.session.scalar(
        select(func.min(OutboxMessage.sent_at)).where(
            OutboxMessage.throttle_key == key, OutboxMessage.status == OutboxStatus.SENT,
            OutboxMessage.sent_at > now - THROTTLE_WINDOW,
        )
    )
    # Nothing sent yet: the room is taken by rows being sent now, which count for an hour.
    later = (oldest + THROTTLE_WINDOW) if oldest else now + THROTTLE_WINDOW
    return max(later, now + timedelta(minutes=1))


def _message_id_domain() -> str:
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or "appeals@localhost"
    return sender.rsplit("@", 1)[-1].strip(">").strip() or "localhost"


# --- Sending ---------------------------------------------------------------------------------


@dataclass
class Outgoing:
    """What the worker needs from a claimed row, read once so results are plain UPDATEs."""

    id: int
    kind: str
    attempts: int
    sensitive: bool
    to: str
    subject: str
    body: str
    html: str | None
    reply_to: str | None
    message_id: str
    date: float
    attachments: list[tuple[str, str, bytes]]


@functools.cache
def _local_hostname() -> str:
    # smtplib would look this up (DNS) for every connection.
    return socket.getfqdn()


def _tls_context() -> ssl.SSLContext:
    """Verify the server's certificate (system CAs, or MAIL_TLS_CA_FILE for a private CA)."""
    return ssl.create_default_context(cafile=current_app.config.get("MAIL_TLS_CA_FILE") or None)


class SmtpSession:
    """One SMTP connection reused across messages, renewed every `reconnect_every` sends."""

    def __init__(self, app_mail, timeout: float, reconnect_every: int):  # noqa: ANN001
        self.settings, self.timeout = app_mail, timeout
        self.reconnect_every = max(int(reconnect_every or 0), 0)
        self.host: smtplib.SMTP | None = None
        self.count = 0
        self.pipelining = False
        # PIPELINING: the next message's envelope went out with this one's end-of-data, and
        # its replies are still to be read (only ever on the current connection).
        self.ahead = False

    def open(self) -> None:
        settings = self.settings
        if settings.use_ssl:
            host = smtplib.SMTP_SSL(settings.server, settings.port, timeout=self.timeout,
                                    local_hostname=_local_hostname(), context=_tls_context())
        else:
            host = smtplib.SMTP(settings.server, settings.port, timeout=self.timeout,
                                local_hostname=_local_hostname())
        # The end-of-data "." goes in a write of its own: without this, Nagle's algorithm
        # holds it until the server's delayed ACK (40 ms a message).
        host.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if settings.use_tls:
            host.starttls(context=_tls_context())
            host.ehlo()
        if settings.username and settings.password:
            host.login(settings.username, settings.password)
        host.ehlo_or_helo_if_needed()
        # The capabilities that count are those offered after STARTTLS (smtplib forgets the
        # earlier ones).
        self.pipelining = host.does_esmtp and host.has_extn("pipelining")
        self.host, self.count, self.ahead = host, 0, False

    @property
    def connected(self) -> bool:
        return self.host is not None and getattr(self.host, "sock", None) is not None

    def send(self, sender: str, recipients: list[str], data: bytes, *,
             on_mail: Callable[[], object] = None, on_dot: Callable[[], object] = None,
             following: Envelope | None = None) -> None:
        """Send one rendered message; raises what smtplib raises.

        The worker fills the server's think time with its own work: `on_mail` runs once the
        MAIL command is on the wire (the previous message's result is committed there, so
        before this message's end-of-data: a worker killed at any moment leaves at most one
        accepted message unrecorded), `on_dot` once the final "." is (the next message is
        rendered there).

        `following`: the envelope of the message the caller sends next. If the server offers
        PIPELINING and that message will go over this connection, its MAIL, RCPT and DATA
        go out in the same write as this message's end-of-data, so the server answers both
        in one turn (RFC 2920 3.1: message content may start a group); the next `send` then
        reads their replies instead of writing them. Its content still waits for its DATA's
        354 and for `on_mail`, so the invariant above holds.
        """
        ahead, self.ahead = self.ahead and self.connected, False
        if not ahead:
            if self.reconnect_every and self.count >= self.reconnect_every:
                self.close()
            if not self.connected:
                self.open()
        assert self.host is not None
        if not self.pipelining:
            _transmit(self.host, sender, recipients, data, on_mail or _nothing,
                      on_dot or _nothing)
        else:
            if following is not None and self.reconnect_every \
                    and self.count + 1 >= self.reconnect_every:
                following = None  # it goes over a new connection
            self._pipelined(Envelope(sender, recipients, len(data)), data, on_mail or _nothing,
                            on_dot or _nothing, ahead, following)
        self.count += 1

    def _pipelined(self, envelope: Envelope, data: bytes, on_mail: Callable[[], object],
                   on_dot: Callable[[], object], ahead: bool, following: Envelope | None) -> None:
        """One message with PIPELINING (RFC 2920): MAIL, RCPT… and DATA in one write.

        Every reply is read and checked in order. A refused MAIL makes the server answer the
        RCPTs and DATA with 503s; the message then fails with MAIL's answer. All recipients
        refused: DATA should be refused too (if the server answers 354 anyway, a lone "."
        ends the empty message). After a refusal of the envelope the transaction is reset
        (RSET), unless the answer was 421, when the server is closing the connection. A
        refused end-of-data needs no RSET (it ends the transaction), and must not get one
        while the next envelope is on the wire: the RSET would land in that message's DATA.
        """
        host, sender, recipients = self.host, envelope.sender, envelope.recipients
        if not ahead:
            host.send(_envelope_commands(host, envelope))
        try:
            on_mail()
        except BaseException:
            host.close()  # nothing of this message was accepted: its content was never sent
            raise
        _envelope_answers(host, sender, recipients)
        next_envelope = _envelope_commands(host, following) if following is not None else b""
        host.send(_dot_terminated(data) + next_envelope)
        self.ahead = bool(next_envelope)
        on_dot()
        code, answer = host.getreply()
        if code != 250:
            if code == 421:
                host.close()
            elif not self.ahead:
                host._rset()
            raise smtplib.SMTPDataError(code, answer)

    def reset(self) -> None:
        """RSET after a refused message so the next one starts a clean transaction."""
        if self.connected and not self.ahead:
            try:
                self.host.rset()
            except (OSError, smtplib.SMTPException):
                self.close()

    def close(self) -> None:
        if self.host is not None:
            try:
                self.host.quit()
            except (OSError, smtplib.SMTPException):
                self.host.close()
        self.host, self.ahead = None, False


@dataclass(frozen=True)
class Envelope:
    sender: str
    recipients: list[str]
    size: int


def _refused(host: smtplib.SMTP, code: int) -> None:
    if code == 421:
        host.close()
    else:
        host._rset()


def _nothing() -> None:
    return None


def _transmit(host: smtplib.SMTP, sender: str, recipients: list[str], data: bytes,
              on_mail: Callable[[], object], on_dot: Callable[[], object]) -> None:
    """smtplib's sendmail, with the caller's work done while the server thinks."""
    host.ehlo_or_helo_if_needed()
    options = f" size={len(data)}" if host.does_esmtp and host.has_extn("size") else ""
    host.putcmd("mail", f"FROM:{smtplib.quoteaddr(sender)}{options}")
    try:
        on_mail()
    except BaseException:
        host.close()  # nothing of this message was accepted
        raise
    code, answer = host.getreply()
    if code != 250:
        _refused(host, code)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    refused = {}
    for recipient in recipients:
        code, answer = host.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, answer)
        if code == 421:
            host.close()
            raise smtplib.SMTPRecipientsRefused(refused)
    if len(refused) == len(recipients):
        host._rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    host.putcmd("data")
    code, answer = host.getreply()
    if code != 354:
        _refused(host, code)
        raise smtplib.SMTPDataError(code, answer)
    _content(host, data, on_dot)


def _envelope_answers(host: smtplib.SMTP, sender: str, recipients: list[str]) -> None:
    """Read and check the replies to a pipelined MAIL, RCPT… and DATA; raise on a refusal."""
    code, answer = host.getreply()
    if code == 421:
        host.close()
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    sender_refused = None if code == 250 else smtplib.SMTPSenderRefused(code, answer, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for recipient in recipients:
        code, answer = host.getreply()
        if code == 421:
            host.close()
            raise sender_refused or smtplib.SMTPRecipientsRefused(
                {**refused, recipient: (code, answer)})
        if code not in (250, 251):
            refused[recipient] = (code, answer)
    code, answer = host.getreply()
    if code == 421:
        host.close()
        raise sender_refused or smtplib.SMTPDataError(code, answer)
    nobody = sender_refused is not None or len(refused) == len(recipients)
    if code == 354 and nobody:
        host.send(b".\r\n")  # RFC 2920 3.1: end the message that has no recipient, empty
        code, answer = host.getreply()
        if code == 421:
            host.close()
            raise sender_refused or smtplib.SMTPRecipientsRefused(refused)
    if nobody:
        host._rset()
        raise sender_refused or smtplib.SMTPRecipientsRefused(refused)
    if code != 354:
        _refused(host, code)
        raise smtplib.SMTPDataError(code, answer)


def _dot_terminated(data: bytes) -> bytes:
    """The content as sent after DATA: dots doubled at line starts, then the lone "."."""
    body = smtplib._quote_periods(data)
    return (body if body.endswith(b"\r\n") else body + b"\r\n") + b".\r\n"


def _content(host: smtplib.SMTP, data: bytes, on_dot: Callable[[], object]) -> None:
    """The message and its end-of-data "." in one write, then the server's verdict."""
    host.send(_dot_terminated(data))
    on_dot()
    code, answer = host.getreply()
    if code != 250:
        _refused(host, code)
        raise smtplib.SMTPDataError(code, answer)


def _command(verb: str, argument: str) -> str:
    line = f"{verb}{argument}\r\n"
    if "\r" in line[:-2] or "\n" in line[:-2]:
        raise ValueError("command or options contained CR or LF")  # as smtplib.putcmd
    return line


def _envelope_commands(host: smtplib.SMTP, envelope: Envelope) -> bytes:
    """MAIL FROM, one RCPT TO a recipient, DATA: one pipelined group (RFC 2920)."""
    options = f" size={envelope.size}" if host.has_extn("size") else ""
    commands = [_command("MAIL FROM:", f"{_smtp_sender(envelope.sender)}{options}")]
    commands += [_command("RCPT TO:", _smtp_address(r)) for r in envelope.recipients]
    commands.append("DATA\r\n")
    return "".join(commands).encode("ascii")


def _outgoing(ids: list[int]) -> list[Outgoing]:
    """The claimed rows' columns and attachments (plain rows, no ORM objects)."""
    m = OutboxMessage
    rows = db.session.execute(
        select(m.id, m.kind, m.attempts, m.sensitive, m.to_addr, m.subject, m.body_text,
               m.body_html, m.reply_to, m.message_id)
        .where(m.id.in_(ids)).order_by(m.id)).all()
    files: dict[int, list[tuple[str, str, bytes]]] = {}
    a = OutboxAttachment
    for message_id, filename, content_type, data in db.session.execute(
        select(a.message_id, a.filename, a.content_type, a.data)
        .where(a.message_id.in_(ids)).order_by(a.id)
    ):
        files.setdefault(message_id, []).append((filename, content_type, data))
    now = time.time()
    result = [Outgoing(*row[:10], now, files.get(row[0], [])) for row in rows]
    db.session.commit()  # end the read transaction before talking to the server
    return result


# --- Rendering -------------------------------------------------------------------------------


class _Compat32(Compat32):
    """compat32 (CRLF), folding headers the way Flask-Mail's policy.SMTP did.

    Flask-Mail hands over header values already RFC 2047-encoded and folded with "\n" where
    needed, so they are ASCII. As policy.SMTP did, a value whose lines all fit is written as it
    is, its lines joined with CRLF (without parsing it again); a longer one is folded by
    compat32.
    """

    def _fold(self, name, value, sanitize):  # noqa: ANN001, ANN202
        if isinstance(value, str):
            lines = value.splitlines()
            if any(line[:1] not in (" ", "\t") for line in lines[1:]):
                # A line break that is not a fold would start a header of its own.
                raise ValueError(f"line break in the {name} header")
            limit = self.max_line_length
            if (value.isascii() and lines and len(lines[0]) + len(name) + 2 <= limit
                    and all(len(line) <= limit for line in lines[1:])):
                return f"{name}: {self.linesep.join(lines)}{self.linesep}"
        return super()._fold(name, value, sanitize)


SMTP_POLICY = _Compat32(linesep="\r\n")


@functools.lru_cache(maxsize=64)
def _sanitized(address: str) -> str:
    """Flask-Mail's header form of a sender or Reply-To (a handful of distinct values)."""
    return sanitize_address(address, "utf-8")


def _subject(subject: str) -> str:
    """Flask-Mail's sanitize_subject (RFC 2047 if not ASCII), folded to fit after "Subject: "
    (policy.SMTP refolded the encoded words when the first line came out too long)."""
    if subject.isascii():
        return subject
    return Header(subject, "utf-8", header_name="Subject").encode()


def _text(text: str, subtype: str = "plain") -> MIMEText:
    return MIMEText(text, _subtype=subtype, _charset="utf-8")


# An address with no display name and nothing to quote: Flask-Mail's sanitize_address and
# smtplib's quoteaddr leave it as it is (and are then skipped: they parse it with the RFC 822
# tokenizer, a tenth of a millisecond a message).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_BARE_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\Z")
_NEWLINE = re.compile(r"\r\n|\r|\n")


def _header_address(address: str) -> str:
    return address if _BARE_ADDRESS.match(address) else sanitize_address(address, "utf-8")


def _smtp_address(address: str) -> str:
    return f"<{address}>" if _BARE_ADDRESS.match(address) else smtplib.quoteaddr(address)


_smtp_sender = functools.lru_cache(maxsize=16)(_smtp_address)  # one sender, every message


def _plain_text(item: Outgoing, to: str, sender: str) -> bytes:
    """What `render` makes of a message with one text/plain part and no attachment (most
    of them: confirmations, updates), written directly: the same headers in the same order,
    each folded by SMTP_POLICY, the body as compat32 writes a utf-8 MIMEText (7bit or 8bit,
    not encoded; line ends made CRLF)."""
    body = item.body
    headers = [("Content-Type", 'text/plain; charset="utf-8"'), ("MIME-Version", "1.0"),
               ("Content-Transfer-Encoding", "7bit" if body.isascii() else "8bit")]
    if item.subject:
        headers.append(("Subject", _subject(item.subject)))
    headers += [("From", _sanitized(sender)), ("To", to),
                ("Date", formatdate(item.date, localtime=True)), ("Message-ID", item.message_id)]
    if item.reply_to:
        headers.append(("Reply-To", _sanitized(item.reply_to)))
    fold = SMTP_POLICY.fold_binary
    return b"".join([*(fold(name, value) for name, value in headers), b"\r\n",
                     _NEWLINE.sub("\r\n", body).encode("utf-8")])


def render(item: Outgoing, sender: str) -> tuple[str, bytes]:
    """The message as Flask-Mail 0.10 builds it (`Message._message`: the same MIME tree and
    headers, RFC 2047 for non-ASCII subjects and names), written out with compat32 and CRLF
    instead of policy.SMTP, whose header registry parses every header again (a third of the
    time). `tests/delivery/test_worker_render.py` holds the two side by side. Returns the
    recipient as written in To (the envelope's RCPT TO too) and the message."""
    to = _header_address(item.to)
    if not item.attachments and not item.html:
        return to, _plain_text(item, to, sender)
    return to, _mime(item, to, sender).as_bytes()


def _mime(item: Outgoing, to: str, sender: str) -> MIMEBase:
    """Flask-Mail 0.10's Message._message, with SMTP_POLICY."""
    if not item.attachments and not item.html:
        msg = _text(item.body)
    elif not item.html:
        msg = MIMEMultipart()
        msg.attach(_text(item.body))
    else:
        msg = MIMEMultipart()
        alternative = MIMEMultipart("alternative")
        alternative.attach(_text(item.body, "plain"))
        alternative.attach(_text(item.html, "html"))
        msg.attach(alternative)
    if item.subject:
        msg["Subject"] = _subject(item.subject)
    msg["From"] = _sanitized(sender)
    msg["To"] = to
    msg["Date"] = formatdate(item.date, localtime=True)
    msg["Message-ID"] = item.message_id
    if item.reply_to:
        msg["Reply-To"] = _sanitized(item.reply_to)
    ascii_only = current_app.extensions["mail"].ascii_attachments
    for filename, content_type, data in item.attachments:
        part = MIMEBase(*content_type.split("/"))
        part.set_payload(data)
        encode_base64(part)
        if ascii_only:
            filename = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
            filename = re.sub(r"\s+", " ", filename).strip()
        if filename.isascii():
            part.add_header("Content-Disposition", "attachment", filename=filename)
        else:
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
        msg.attach(part)
    msg.policy = SMTP_POLICY
    return msg


def server_answer(error: BaseException) -> str:
    """The SMTP server's own words where there are some (code and text), else the error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = [f"{code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"
                   for code, msg in error.recipients.values()]
        return "recipient refused: " + "; ".join(answers)
    if isinstance(error, smtplib.SMTPResponseException):
        msg = error.smtp_error
        msg = msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)
        return f"{error.smtp_code} {msg}"
    return f"{type(error).__name__}: {error}"


def _permanent(error: BaseException) -> bool:
    """A 5xx answer will not change on retry (unknown mailbox, message refused)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _failure(item: Outgoing, error: BaseException, *, permanent: bool = False) -> list:
    """The UPDATEs recording a failed attempt: retry later, or give up (status failed)."""
    attempts = item.attempts + 1
    values = {"attempts": attempts, "last_error": server_answer(error)[:2000],
              "claimed_at": None, "claimed_by": None}
    if permanent or _permanent(error) or attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        values["status"] = OutboxStatus.FAILED
    else:
        delay = current_app.config["OUTBOX_BACKOFF_BASE_S"] * 2 ** (attempts - 1)
        values.update(status=OutboxStatus.PENDING,
                      next_attempt_at=utcnow() + timedelta(seconds=delay))
    statements = [update(OutboxMessage).where(OutboxMessage.id == item.id).values(**values)]
    if values["status"] == OutboxStatus.FAILED and item.kind in OFFICIAL_KINDS:
        statements.append(update(Delivery).where(Delivery.outbox_message_id == item.id)
                          .values(status="failed"))
    return statements


_SENT_SQL = {
    "plain": "UPDATE outbox_messages SET status = :status, sent_at = :sent_at, last_error = NULL"
             " WHERE id = :id",
    "sensitive": "UPDATE outbox_messages SET status = :status, sent_at = :sent_at,"
                 " last_error = NULL, body_text = :body, body_html = NULL WHERE id = :id",
    "delivery": "UPDATE deliveries SET status = 'sent', sent_at = :sent_at"
                " WHERE outbox_message_id = :id",
}


@functools.cache
def _driver_sql(dialect: Dialect) -> dict[str, tuple[str, tuple[str, ...], bool]]:
    """_SENT_SQL in the driver's own paramstyle (qmark for SQLite, pyformat for psycopg): SQL,
    parameter names (in order, if positional), positional. One message's result is then a few
    plain DBAPI calls, a fraction of what building and compiling Core UPDATEs costs."""
    prepared = {}
    for name, sql in _SENT_SQL.items():
        compiled = text(sql).compile(dialect=dialect)
        names = compiled.positiontup if compiled.positional else compiled.bind_names.values()
        prepared[name] = (compiled.string, tuple(names), compiled.positional)
    return prepared


@functools.cache
def _datetime_param(dialect: Dialect) -> Callable[[datetime], object]:
    """How the dialect binds a DateTime column (SQLite: SQLAlchemy's own string format)."""
    process = OutboxMessage.__table__.c.sent_at.type.bind_processor(dialect)
    return process or (lambda value: value)


def _success(item: Outgoing, dialect: Dialect) -> list:
    """The UPDATEs recording that the server accepted the message, as (SQL, parameters)."""
    sql = _driver_sql(dialect)
    values = {"status": OutboxStatus.SENT.value, "sent_at": _datetime_param(dialect)(utcnow()),
              "id": item.id, "body": SENT_BODY_PLACEHOLDER}
    names = ["sensitive" if item.sensitive else "plain"]
    if item.kind in OFFICIAL_KINDS:
        names.append("delivery")
    statements = []
    for name in names:
        string, keys, positional = sql[name]
        statements.append((string, tuple(values[key] for key in keys) if positional
                           else {key: values[key] for key in keys}))
    return statements


def _released(ids: list[int]) -> list:
    """Give claimed rows back untouched (the server went away before they were tried)."""
    return [update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(
        status=OutboxStatus.PENDING, claimed_at=None, claimed_by=None)] if ids else []


def _commit(statements: list, connection=None) -> None:  # noqa: ANN001
    """Run the UPDATEs in one transaction: on `connection`, or in the session."""
    if connection is None:
        for statement in statements:
            if isinstance(statement, tuple):
                db.session.connection().exec_driver_sql(*statement)
            else:
                db.session.execute(statement, execution_options=NO_SYNC)
        db.session.commit()
    else:
        for statement in statements:
            if isinstance(statement, tuple):
                connection.exec_driver_sql(*statement)
            else:
                connection.execute(statement)
        connection.commit()


def _record_failure(item: Outgoing, error: BaseException) -> None:
    _commit(_failure(item, error))


def _new_session() -> SmtpSession:
    config = current_app.config
    return SmtpSession(current_app.extensions["mail"], config["MAIL_TIMEOUT_S"],
                       config["OUTBOX_RECONNECT_EVERY"])


def send_claimed(ids: list[int], session: SmtpSession | None = None) -> int:
    """Send the claimed messages over one connection; each result is committed on its own.

    One thread, no waiting idle: each result is committed while the server answers the next
    message's MAIL command (or, with PIPELINING, its whole envelope), and the next message is
    rendered while the server answers this one's end-of-data. `session`: a connection kept
    open by the caller across rounds (left open, unless something failed); without it, one
    is opened for these messages and closed after them.
    """
    items = _outgoing(ids)
    own = session is None
    session = session or _new_session()
    if not session.connected:
        try:
            session.open()
        except (OSError, smtplib.SMTPException) as error:
            session.close()
            for item in items:
                _record_failure(item, error)
            log.warning("SMTP unreachable (%s); %d message(s) will be retried",
                        type(error).__name__, len(items))
            return 0
    try:
        with db.engine.connect() as connection:
            return _send_over(session, items, _Pending(connection))
    except BaseException:
        session.close()
        raise
    finally:
        if own:
            session.close()


class _Pending:
    """The last result, committed at the latest before the next message can be accepted."""

    def __init__(self, connection):  # noqa: ANN001
        self.connection, self.statements = connection, []

    def set(self, statements: list) -> None:
        self.commit()
        self.statements = statements

    def commit(self) -> None:
        if self.statements:
            statements, self.statements = self.statements, []
            _commit(statements, self.connection)


def _render(item: Outgoing, sender: str) -> tuple[str, bytes] | Exception:
    try:
        return render(item, sender)
    except Exception as error:  # noqa: BLE001 - it will never render: recorded as failed
        return error


def _send_over(session: SmtpSession, items: list[Outgoing], pending: _Pending) -> int:
    sent = 0
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    envelope_from = _sanitized(sender)  # as in From; smtplib.quoteaddr takes the address
    rendered = {}

    def render_next(index: int) -> None:
        if index < len(items) and index not in rendered:
            rendered[index] = _render(items[index], sender)

    def following(index: int) -> Envelope | None:
        """The next message's envelope, so that it can go out with this one's end-of-data."""
        render_next(index)
        result = rendered.get(index)
        if result is None or isinstance(result, Exception):
            return None
        return Envelope(envelope_from, [result[0]], len(result[1]))

    try:
        for index, item in enumerate(items):
            render_next(index)
            result = rendered.pop(index)
            if isinstance(result, Exception):
                pending.set(_failure(item, result, permanent=True))
                continue
            to, data = result
            try:
                session.send(envelope_from, [to], data, on_mail=pending.commit,
                             on_dot=lambda i=index: (render_next(i + 1), render_next(i + 2)),
                             following=following(index + 1) if session.pipelining else None)
            except (OSError, smtplib.SMTPException) as error:
                pending.set(_failure(item, error))
                session.reset()
                if not session.connected and not _reconnect(session):
                    pending.set(_released([i.id for i in items[index + 1:]]))
                    break
            else:
                pending.set(_success(item, pending.connection.dialect))
                sent += 1
    finally:
        pending.commit()
    return sent


def _reconnect(session: SmtpSession) -> bool:
    try:
        session.open()
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP connection lost and not restored (%s)", type(error).__name__)
        return False
    return True


def deliver_due(limit: int | None = None) -> int:
    """One round: claim what is due and send it over a connection of its own. Returns the
    number sent."""
    return _round(limit)[1]


def _round(limit: int | None = None, session: SmtpSession | None = None) -> tuple[int, int]:
    """Claim and send one batch: (claimed, sent). `session` stays open for the next round."""
    ids = claim_due(limit or current_app.config["OUTBOX_BATCH_SIZE"])
    return len(ids), (send_claimed(ids, session) if ids else 0)


def run_worker(*, once: bool = False, drain: bool = False) -> int:
    """Loop until stopped (SIGTERM/SIGINT finish the current message first).

    `once`: one round. `drain`: stop when nothing is due. Every DELIVERY_BATCH_INTERVAL_S the
    worker also queues the day's letters to officials (`flask delivery batch`).
    """
    stopping = False

    def _stop(_signum, _frame):  # noqa: ANN001
        nonlocal stopping
        stopping = True

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    total = 0
    next_batch = 0.0
    interval = current_app.config["DELIVERY_BATCH_INTERVAL_S"]
    # One SMTP connection across rounds while there is work (renewed every
    # OUTBOX_RECONNECT_EVERY messages); closed before idling or batching, on stop and on errors.
    session = _new_session()
    try:
        while not stopping:
            if interval and time.monotonic() >= next_batch:
                session.close()
                _batch_safely()
                next_batch = time.monotonic() + interval
            claimed, sent = _round(session=session)
            total += sent
            if once or (drain and claimed == 0):
                break
            if sent == 0:
                session.close()
                time.sleep(current_app.config["WORKER_IDLE_SLEEP_S"])
    finally:
        session.close()
    return total


def _batch_safely() -> None:
    """Queue the letters due to officials; a failure here must not stop the sending."""
    from app.delivery.service import run_batches

    try:
        run_batches()
    except Exception:  # noqa: BLE001 - logged, the worker keeps sending
        db.session.rollback()
        log.exception("delivery batch failed; the worker goes on sending")
