"""Partners of an appeal: listing, adding, removing, and counting the signatures they bring."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from app.extensions import db
from app.models import Appeal, Partner, PendingReferral
from app.partners.origins import parse_origins
from app.signatures.service import pending_signature_id


@dataclass(frozen=True)
class PartnerInput:
    name: str
    code: str
    website: str | None
    frame_origins: str


def partners_of(appeal_id: int) -> list[Partner]:
    """An appeal's partners in the coordinator's order."""
    return list(db.session.scalars(
        select(Partner).where(Partner.appeal_id == appeal_id).order_by(Partner.position, Partner.id)))


def partners_by_appeal(appeal_ids: list[int]) -> dict[int, list[Partner]]:
    """The partners of many appeals in one query (for a page of the API)."""
    grouped: dict[int, list[Partner]] = {appeal_id: [] for appeal_id in appeal_ids}
    rows = db.session.scalars(select(Partner).where(Partner.appeal_id.in_(appeal_ids))
                              .order_by(Partner.position, Partner.id)) if appeal_ids else []
    for partner in rows:
        grouped[partner.appeal_id].append(partner)
    return grouped


def pending_counts(appeal_id: int) -> dict[int, int]:
    """{partner id: signatures through its form still awaiting confirmation}."""
    rows = db.session.execute(
        select(PendingReferral.partner_id, func.count()).join(Partner)
        .where(Partner.appeal_id == appeal_id).group_by(PendingReferral.partner_id))
    return {partner_id: count for partner_id, count in rows}


def partner_names(appeal_id: int) -> list[str]:
    """The coalition's names, as the public page and the letters show them."""
    return [partner.name for partner in partners_of(appeal_id)]


def partner_by_code(appeal_id: int, code: str) -> Partner | None:
    if len(code) > 40:
        return None
    return db.session.scalar(
        select(Partner).where(Partner.appeal_id == appeal_id, Partner.code == code))


def add_partner(appeal: Appeal, data: PartnerInput) -> Partner:
    """Add a partner to the appeal's coalition. Commits."""
    last = db.session.scalar(select(Partner.position).where(Partner.appeal_id == appeal.id)
                             .order_by(Partner.position.desc()).limit(1))
    partner = Partner(appeal_id=appeal.id, name=data.name, code=data.code,
                      website=data.website or None,
                      frame_origins=" ".join(parse_origins(data.frame_origins)),
                      position=(last or 0) + 1)
    db.session.add(partner)
    db.session.commit()
    return partner


def update_origins(partner: Partner, origins_text: str) -> None:
    """Replace the origins allowed to frame the partner's form. Commits."""
    partner.frame_origins = " ".join(parse_origins(origins_text))
    db.session.commit()


def remove_partner(appeal: Appeal, partner_id: int) -> bool:
    """Take a partner out of the coalition (its embed stops working). Commits."""
    removed = db.session.execute(
        delete(Partner).where(Partner.id == partner_id, Partner.appeal_id == appeal.id)).rowcount
    db.session.commit()
    return bool(removed)


def refer_pending_signature(appeal_id: int, email: str, partner_id: int) -> None:
    """Remember which partner's form a pending signature came from, until it is confirmed.

    Commits. An already confirmed signature is left alone: it was counted where it was made.
    """
    signature_id = pending_signature_id(appeal_id, email)
    if signature_id is None:
        db.session.commit()
        return
    referral = db.session.get(PendingReferral, signature_id)
    if referral is None:
        db.session.add(PendingReferral(signature_id=signature_id, partner_id=partner_id))
    else:
        referral.partner_id = partner_id  # the latest form used is the one that brought them
    db.session.commit()


def on_signature_confirmed(signature, **_extra) -> None:  # noqa: ANN001, ANN003
    """Receiver of app.signatures.events.signature_confirmed."""
    credit_partner(signature.id)


def credit_partner(signature_id: int) -> None:
    """Count a just-confirmed signature for the partner that brought it; forget the link.

    Runs in the confirmation's transaction (not committed here).
    """
    partner_id = db.session.scalar(
        select(PendingReferral.partner_id).where(PendingReferral.signature_id == signature_id))
    if partner_id is None:
        return
    db.session.execute(update(Partner).where(Partner.id == partner_id)
                       .values(confirmed_count=Partner.confirmed_count + 1))
    db.session.execute(delete(PendingReferral).where(PendingReferral.signature_id == signature_id))
