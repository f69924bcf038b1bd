"""One e-mail as the standard library builds it: `EmailMessage` under `policy.SMTP`."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from email.headerregistry import Address, BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import localtime, parseaddr

from email_validator import EmailNotValidError, validate_email

from app.mail.rows import checked_headers


class UriListHeader(UnstructuredHeader):
    """List-Unsubscribe: `<uri>, <uri>` folded after each comma, never RFC 2047-encoded (the
    library would encode a URL longer than a line, and no mail client reads it then)."""

    def fold(self, *, policy) -> str:  # noqa: ANN001
        return f"{self.name}: " + f",{policy.linesep} ".join(str(self).split(", ")) + policy.linesep


class _HeaderClasses(HeaderRegistry):
    """The standard header registry, making each header's class once: HeaderRegistry builds a
    new class on every lookup, a third of the time it takes to build a message."""

    def __init__(self) -> None:
        super().__init__()
        self.map_to_type("list-unsubscribe", UriListHeader)
        self._classes: dict[str, type] = {}

    def __getitem__(self, name: str) -> type:
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(name)
        return self._classes[key]


POLICY = SMTP.clone(header_factory=_HeaderClasses())


@dataclass(frozen=True)
class Draft:
    """What an e-mail says and to whom; `attachments` are (file name, content type, bytes)."""

    to: str
    subject: str
    body: str
    message_id: str
    html: str | None = None
    reply_to: str | None = None
    attachments: tuple[tuple[str, str, bytes], ...] = field(default=())
    headers: tuple[tuple[str, str], ...] = field(default=())  # app.mail.rows.EXTRA_HEADERS only


def build_message(draft: Draft, sender: str) -> EmailMessage:
    """The message to send; raises ValueError for a header the library refuses (a line break)."""
    message = EmailMessage(policy=POLICY)
    if draft.subject:
        message["Subject"] = draft.subject
    message["From"] = _from_header(sender)
    message["To"] = relay_address(draft.to)
    message["Date"] = localtime()  # a datetime: the header takes it as it is, no text to parse
    message["Message-ID"] = draft.message_id
    if draft.reply_to:
        message["Reply-To"] = relay_address(draft.reply_to)
    for name, value in (checked_headers(dict(draft.headers)) or {}).items():
        message[name] = value
    message.set_content(draft.body)
    if draft.html:
        message.add_alternative(draft.html, subtype="html")
    for filename, content_type, data in draft.attachments:
        maintype, _, subtype = content_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


@functools.lru_cache(maxsize=16)
def _from_header(sender: str) -> BaseHeader:
    """The From header parsed once per sender (header objects are immutable; the policy takes
    one as it is instead of parsing the same text for every message)."""
    return POLICY.header_factory("From", sender)


def relay_address(address: str) -> str | Address:
    """`address` with an internationalised domain written in ASCII (IDNA), so that any relay
    takes it. A local part that is not ASCII stays as it is: only a relay that offers SMTPUTF8
    can carry it (smtplib's send_message then asks for SMTPUTF8 itself)."""
    if address.isascii():
        return address
    name, spec = parseaddr(address)
    local, _, domain = spec.rpartition("@")
    if not local or not local.isascii():
        return address
    try:
        ascii_domain = validate_email(spec, check_deliverability=False).ascii_domain
    except EmailNotValidError:
        return address
    return Address(display_name=name, username=local, domain=ascii_domain)
