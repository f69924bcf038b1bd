"""One SMTP connection kept across messages, through smtplib's public API only."""

from __future__ import annotations

import functools
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

# Raised when a message cannot be written for this relay: an address that needs SMTPUTF8 when
# the relay does not offer it (smtplib), or text the chosen encoding cannot carry.
UNSENDABLE = (smtplib.SMTPNotSupportedError, UnicodeError)


@dataclass(frozen=True)
class SmtpSettings:
    """Where the relay is and how to log in (Flask-Mail's settings, plus a private CA)."""

    server: str
    port: int
    use_tls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30
    ca_file: str | None = None


@functools.cache
def _local_hostname() -> str:
    # smtplib would look this up (DNS) for every connection.
    return socket.getfqdn()


class SmtpSession:
    """One SMTP connection reused across messages, renewed every `reconnect_every` sends."""

    def __init__(self, settings: SmtpSettings, reconnect_every: int = 0):
        self.settings = settings
        self.reconnect_every = max(int(reconnect_every or 0), 0)
        self.host: smtplib.SMTP | None = None
        self.count = 0

    def _tls_context(self) -> ssl.SSLContext:
        """Verify the server's certificate (system CAs, or the private CA in `ca_file`)."""
        return ssl.create_default_context(cafile=self.settings.ca_file or None)

    def open(self) -> None:
        """Connect, STARTTLS and log in as configured; raises OSError or SMTPException."""
        settings = self.settings
        options = {"timeout": settings.timeout, "local_hostname": _local_hostname()}
        if settings.use_ssl:
            host = smtplib.SMTP_SSL(settings.server, settings.port, context=self._tls_context(),
                                    **options)
        else:
            host = smtplib.SMTP(settings.server, settings.port, **options)
        try:
            # A message's last segment must not wait for the server's delayed ACK (Nagle).
            host.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            host.ehlo()
            if settings.use_tls:
                host.starttls(context=self._tls_context())
                host.ehlo()  # the capabilities that count are those offered after STARTTLS
            if settings.username and settings.password:
                host.login(settings.username, settings.password)
        except BaseException:
            host.close()
            raise
        self.host, self.count = host, 0

    @property
    def connected(self) -> bool:
        return self.host is not None and self.host.sock is not None

    def send(self, message: EmailMessage) -> None:
        """Send one message (reconnecting when due); raises what smtplib raises.

        An address that is not ASCII goes out with SMTPUTF8 where the relay offers it;
        otherwise SMTPNotSupportedError is raised (it would never go through). After a 421
        smtplib has closed the connection.
        """
        if self.reconnect_every and self.count >= self.reconnect_every:
            self.close()
        if not self.connected:
            self.open()
        self.count += 1
        sender, recipients = envelope(message)
        international = not "".join([sender, *recipients]).isascii()
        if international and not self.host.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError(
                "the address needs SMTPUTF8 (international characters before the @), "
                "which the relay does not offer")
        # Written as the message's own policy says (CRLF, and no ">From " quoting of body lines,
        # which send_message's generator would add); a policy is cloned only for the rare
        # address that needs SMTPUTF8.
        policy = message.policy.clone(utf8=True) if international else message.policy
        data = message.as_bytes(policy=policy)
        options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
        self.host.sendmail(sender, recipients, data, mail_options=options)

    def reset(self) -> None:
        """RSET after a refused message so the next one starts a clean transaction."""
        if not self.connected:
            return
        try:
            self.host.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        """QUIT (or just drop the connection if the server is gone)."""
        if self.host is not None:
            try:
                self.host.quit()
            except (OSError, smtplib.SMTPException):
                self.host.close()
        self.host = None


def envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """MAIL FROM and RCPT TO of a message: its From, and its To and Cc addresses."""
    [sender] = [address for _, address in getaddresses([str(message["From"])])]
    fields = [str(message[name]) for name in ("To", "Cc") if message[name] is not None]
    return sender, [address for _, address in getaddresses(fields)]


def server_answer(error: BaseException) -> str:
    """The SMTP server's own words where there are some (code and text), else the error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = [f"{code} {_text(msg)}" for code, msg in error.recipients.values()]
        return "recipient refused: " + "; ".join(answers)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    if isinstance(error, UNSENDABLE):
        return f"cannot be sent through this relay: {error}"
    return f"{type(error).__name__}: {error}"


def _text(message: bytes | str) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def is_permanent(error: BaseException) -> bool:
    """A 5xx answer, or a message this relay cannot carry, will not change on retry."""
    if isinstance(error, UNSENDABLE):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600
