"""The supporter's own channels: a mailto: link, a PDF to print, or text to paste in a web form.

Nothing here sends anything or loads anything from another host: the supporter's own mail
program, printer or browser does the sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.delivery.letters import LetterText, _letters, supporter_letter
from app.directory.resolve import Resolution, resolve
from app.extensions import db
from app.languages import resolved
from app.models import Appeal, Post, Signature
from app.models.enums import ContactType, SignatureStatus

SIGNER_LINK_MAX_AGE_S = 180 * 24 * 3600
SHORTENED_NOTE = "[This letter was shortened to fit in an e-mail link. The full text: {url}]"
# The note is part of the letter, so it is in the letter's language (Kazakh letters read Russian).
SHORTENED_NOTES = {"en": SHORTENED_NOTE,
                   "ru": "[Письмо сокращено, чтобы уместиться в ссылке для почтовой программы. "
                         "Полный текст: {url}]"}


def _encode(value: str) -> str:
    """RFC 6068: UTF-8 percent-encoding of everything but unreserved characters; CRLF breaks."""
    return quote(value.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")


def mailto_url(to: str, subject: str, body: str) -> str:
    return f"mailto:{quote(to, safe='@')}?subject={_encode(subject)}&body={_encode(body)}"


def mailto_link(to: str, subject: str, body: str, *, max_length: int,
                full_text_url: str, language: str = "en") -> tuple[str, bool]:
    """A mailto: URL of at most `max_length` characters; returns (url, shortened).

    Mail clients and browsers cut or refuse longer links (about 2,000 characters is safe), and
    a Cyrillic letter grows sixfold when percent-encoded, so a long body is cut at a word and
    ends with a note pointing to the full text.
    """
    url = mailto_url(to, subject, body)
    if len(url) <= max_length:
        return url, False
    note = "\n\n" + SHORTENED_NOTES[resolved(language, SHORTENED_NOTES)].format(url=full_text_url)
    low, high = 0, len(body)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if len(mailto_url(to, subject, _cut(body, middle) + note)) <= max_length:
            low = middle
        else:
            high = middle - 1
    return mailto_url(to, subject, _cut(body, low) + note), True


def _cut(text: str, length: int) -> str:
    """The first `length` characters, ending at a word boundary when there is one."""
    if length >= len(text):
        return text
    head = text[:length]
    space = max(head.rfind(" "), head.rfind("\n"))
    return (head[:space] if space > length // 2 else head).rstrip() + " …"


# --- A confirmed signer's own letter ---------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="delivery.signer-letter")


def signer_token(signature: Signature) -> str:
    """A signed reference letting a confirmed signer fetch their own letter (and nobody else's)."""
    return _serializer().dumps(signature.id)


def signer_from_token(token: str | None, appeal: Appeal) -> Signature | None:
    """The confirmed signer of `appeal` the token names; None for any other token."""
    if not token or len(token) > 200:
        return None
    try:
        signature_id = _serializer().loads(token, max_age=SIGNER_LINK_MAX_AGE_S)
    except BadSignature:
        return None
    signature = db.session.get(Signature, signature_id) if isinstance(signature_id, int) else None
    if (signature is None or signature.appeal_id != appeal.id
            or signature.status != SignatureStatus.CONFIRMED):
        return None
    return signature


# --- What the write page offers per post -----------------------------------------------------


@dataclass
class PostChannels:
    post: Post
    resolution: Resolution
    letter: LetterText
    email: str | None
    mailto: str | None
    shortened: bool
    web: str | None
    fax: str | None
    address: str | None

    @property
    def web_form_only(self) -> bool:
        return self.web is not None and self.email is None


def _first(resolution: Resolution, kind: str) -> str | None:
    contact = resolution.first(kind)
    return contact.value if contact is not None else None


def channels_for(appeal: Appeal, post: Post, *, signer: Signature | None,
                 full_text_url: str) -> PostChannels:
    """The letter to `post` and every way a supporter can send it themselves."""
    resolution = resolve(post, stale_months=current_app.config["DIRECTORY_STALE_MONTHS"])
    letter = supporter_letter(appeal, post, signer)
    email = _first(resolution, ContactType.EMAIL)
    mailto, shortened = (None, False)
    if email:
        choose = _letters("letter_language")
        mailto, shortened = mailto_link(email, letter.subject, letter.text,
                                        max_length=current_app.config["MAILTO_MAX_LENGTH"],
                                        full_text_url=full_text_url,
                                        language=choose(appeal, post) if choose else "en")
    return PostChannels(
        post=post, resolution=resolution, letter=letter, email=email, mailto=mailto,
        shortened=shortened, web=_first(resolution, ContactType.WEB),
        fax=_first(resolution, ContactType.FAX), address=_first(resolution, ContactType.ADDRESS),
    )
