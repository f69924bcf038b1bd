"""Signing through a partner's embedded form: the usual signature, counted for the partner."""

from __future__ import annotations

from app.partners.service import refer_pending_signature
from app.signatures.service import SignatureInput, SigningTarget, SignOutcome, sign_appeal


class TooManySignatures(Exception):
    """This client is over the sign form's ceiling: nothing is stored."""


class AppealNotOpen(Exception):
    """The appeal stopped taking signatures since the form was read: nothing is stored."""


def sign_through_partner(target: SigningTarget, data: SignatureInput, partner_id: int,
                         client: str) -> None:
    """Store the signature as the public form does, then note the partner. Commits.

    Raises TooManySignatures over the flood ceiling and AppealNotOpen when the appeal stopped
    taking signatures. Over the burst limit the signature is stored as suspect and not referred:
    it counts for nobody unless a coordinator releases it.
    """
    outcome = sign_appeal(target, data, client)
    if outcome is SignOutcome.FLOOD:
        raise TooManySignatures
    if outcome is SignOutcome.NOT_OPEN:
        raise AppealNotOpen(target.slug)
    if outcome is not SignOutcome.SUSPECT:
        refer_pending_signature(target.id, data.email, partner_id)
