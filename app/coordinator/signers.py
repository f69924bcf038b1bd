"""The coordinator's list of an appeal's signers, a page at a time, with an explicit search.

Browsing reads keyset pages of ix_signatures_appeal_id (or ix_signatures_appeal_status with a
status): page 5,000 costs what page 1 costs, at any number of signatures. A search by name or
e-mail is a substring match, which no index can answer: it walks the appeal's rows newest
first until a page of matches is found, so a rare term on a million signatures reads them all
(about a second on SQLite). It is run only when a coordinator asks, and the term is sent in a
POST body, never in a URL (nothing logs it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from nacl.public import PrivateKey
from sqlalchemy import Row, Select, func, or_, select

from app.extensions import db
from app.models import Post, Signature, SignatureRecipient
from app.models.enums import SignatureStatus
from app.sealing.boxes import SealError, open_signer
from app.signatures.identity import email_digest

PAGE_SIZE = 100
STATUSES = tuple(s.value for s in SignatureStatus)


def signer_page(appeal_id: int, before: int | None = None, size: int = PAGE_SIZE) -> list[Row]:
    """Up to `size` signers, newest first, with ids below `before` (the last id of the page seen).

    Keyset pagination on ix_signatures_appeal_id: page 5,000 costs what page 1 costs.
    """
    query = (
        select(Signature.id, Signature.name, Signature.country, Signature.city, Signature.status,
               Signature.public_display, Signature.letter_inclusion, Signature.created_at)
        .where(Signature.appeal_id == appeal_id)
        .order_by(Signature.id.desc()).limit(size)
    )
    if before is not None:
        query = query.where(Signature.id < before)
    return list(db.session.execute(query))


@dataclass(frozen=True)
class SignerFilter:
    """What the list shows: a status (or all), a search term (or none), the page's start."""

    status: str | None = None
    search: str | None = None
    before: int | None = None


@dataclass(frozen=True)
class SignerRow:
    """One signer as the coordinator's list shows them (never the e-mail address)."""

    id: int
    name: str
    country: str
    city: str | None
    message: str | None
    public_display: str
    letter_inclusion: str
    wants_updates: bool
    status: str
    language: str | None
    created_at: datetime
    recipients: tuple[str, ...] = ()


def signer_fields(signature: Signature, private_key: PrivateKey | None = None) -> dict:
    """The signer's own fields as the list shows them.

    The one place the list reads a signer's personal fields. Without the organisation's key it
    shows what is kept in clear (the name in the form the signer chose to disclose, and a
    pending signer's details until their confirmation is sent); with it, the sealed details.
    """
    name, city, message = signature.name, signature.city, signature.message
    if private_key is not None and signature.sealed is not None:
        try:
            details = open_signer(signature, private_key)
            name, city, message = details.name, details.city, details.message
        except SealError:
            pass  # sealed to an earlier key of the organisation: shown as stored
    return {"id": signature.id, "name": name, "country": signature.country,
            "city": city, "message": message,
            "public_display": signature.public_display,
            "letter_inclusion": signature.letter_inclusion,
            "wants_updates": signature.wants_updates, "status": signature.status,
            "language": signature.language, "created_at": signature.created_at}


def _matching(query: Select, search: str) -> Select:
    """Name or e-mail containing `search`, ignoring case (also Cyrillic, Kazakh, accents).

    Sealed e-mail addresses cannot be searched by part; a whole address is found through the
    keyed de-duplication hash (what a signer asking for deletion gives), except on high-risk
    appeals, which keep no such hash."""
    term = search.casefold()
    fold = func.casefold if db.session.get_bind().dialect.name == "sqlite" else func.lower
    matches = [fold(Signature.name).contains(term, autoescape=True),
               fold(Signature.email).contains(term, autoescape=True)]
    if "@" in term:
        matches.append(Signature.email_hash == email_digest(search))
    return query.where(or_(*matches))


def signer_list(appeal_id: int, where: SignerFilter, size: int = PAGE_SIZE,
                private_key: PrivateKey | None = None) -> list[SignerRow]:
    """A page of signers of one appeal, newest first, with the posts each chose to write to;
    their sealed details opened when the organisation's key is given (for this page only)."""
    query = (select(Signature).where(Signature.appeal_id == appeal_id)
             .order_by(Signature.id.desc()).limit(size))
    if where.status in STATUSES:
        query = query.where(Signature.status == where.status)
    if where.before is not None:
        query = query.where(Signature.id < where.before)
    if where.search:
        query = _matching(query, where.search)
    signatures = list(db.session.scalars(query))
    chosen = _recipients_of([s.id for s in signatures])
    return [SignerRow(**signer_fields(s, private_key), recipients=tuple(chosen.get(s.id, ())))
            for s in signatures]


def _recipients_of(signature_ids: list[int]) -> dict[int, list[str]]:
    """{signature id: labels of the posts chosen}, for one page in one query."""
    if not signature_ids:
        return {}
    chosen: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(SignatureRecipient.signature_id, Post.label)
        .join(Post, Post.id == SignatureRecipient.post_id)
        .where(SignatureRecipient.signature_id.in_(signature_ids))
        .order_by(SignatureRecipient.signature_id, Post.label)
    )
    for signature_id, label in rows:
        chosen[signature_id].append(label)
    return chosen
