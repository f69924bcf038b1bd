"""The signer's private link: what is stored about them, and deleting it (no account, no password).

The link's secret is stored nowhere: the server keeps its SHA-256 digest (a `tokens` row) and
the signer's own copy of their details, a secret box only a key derived from the secret opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from app.delivery.channels import signer_token
from app.extensions import db
from app.models import Appeal, Signature
from app.models.enums import AppealState, SignatureStatus, TokenPurpose
from app.publicpage.page import ShareBlock, share_block
from app.sealing.boxes import SealError, SignerDetails, open_own_copy
from app.signatures.erasure import erase_signature
from app.tokens import find_token


@dataclass(frozen=True)
class OwnRecord:
    """Everything stored about one signer: the row (its clear columns) and their own copy."""

    signature: Signature
    appeal: Appeal
    details: SignerDetails


def own_record(secret: str) -> OwnRecord | None:
    """The signer's record that `secret` unlocks; None for any secret that does not."""
    token = find_token(TokenPurpose.SIGNER_OWN_PAGE, secret)
    signature = db.session.get(Signature, token.subject_id) if token is not None else None
    if signature is None or signature.own_copy is None:
        return None
    try:
        details = open_own_copy(signature.own_copy, secret)
    except SealError:
        return None
    return OwnRecord(signature, signature.appeal, details)


@dataclass(frozen=True)
class WayBack:
    """Where the private page leads: the confirmation link works once, this page for as long as
    the signature lives, so it is the signer's way back to their own letter and the share links."""

    letter_url: str | None
    share: ShareBlock | None


def way_back(record: OwnRecord) -> WayBack:
    """The signer's own letter (once confirmed, while letters go) and the share links (while open)."""
    appeal, signature = record.appeal, record.signature
    confirmed = signature.status == SignatureStatus.CONFIRMED
    letter_url = (url_for("channels.write", slug=appeal.slug, s=signer_token(signature))
                  if confirmed and appeal.letters_allowed else None)
    share = share_block(appeal) if appeal.state == AppealState.OPEN else None
    return WayBack(letter_url, share)


def delete_own_record(secret: str) -> bool:
    """Withdraw and delete the signature `secret` unlocks, with its links and e-mails. Commits.

    False (nothing done) for a secret that unlocks nothing.
    """
    record = own_record(secret)
    if record is None:
        db.session.rollback()
        return False
    erase_signature(record.signature)
    db.session.commit()
    return True
