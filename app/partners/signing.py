"""Signing through a partner's embedded form: the usual signature, counted for the partner."""

from __future__ import annotations

from app.extensions import db
from app.partners.service import refer_pending_signature
from app.ratelimit import sign_limits
from app.signatures.service import SignatureInput, SigningTarget, sign_appeal


class TooManySignatures(Exception):
    """This client is over the sign form's ceiling: nothing is stored."""


def signature_input(form) -> SignatureInput:  # noqa: ANN001
    """What a validated sign form carries, as the signing service takes it."""
    return SignatureInput(
        name=form.name.data, email=form.email.data, country=form.country.data,
        city=form.city.data, message=form.message.data,
        public_display=form.public_display.data, letter_inclusion=form.letter_inclusion.data,
        wants_updates=form.wants_updates.data, post_ids=form.recipients.data or [],
    )


def sign_through_partner(target: SigningTarget, data: SignatureInput, partner_id: int) -> None:
    """Store the signature as the public form does, then note the partner. Commits.

    Raises TooManySignatures over the flood ceiling and AppealNotOpen (rolled back) when the
    appeal stopped taking signatures. Over the burst limit the signature is stored as suspect
    and not referred: it counts for nobody unless a coordinator releases it.
    """
    suspect, flood = sign_limits(db.session.connection())
    if flood:
        db.session.commit()  # the counters stand; nothing else is stored
        raise TooManySignatures
    try:
        sign_appeal(target, data, suspect=suspect)
    except Exception:
        db.session.rollback()
        raise
    if not suspect:
        refer_pending_signature(target.id, data.email, partner_id)
