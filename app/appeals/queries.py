"""Reading appeals for the public pages and the dashboard."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Appeal, AppealRecipient, Signature
from app.models.enums import AppealState, SignatureStatus

PUBLIC_STATES = (AppealState.OPEN, AppealState.PAUSED, AppealState.CLOSED)


def public_appeals() -> list[Appeal]:
    """Open and paused appeals, newest first, for the public list."""
    return list(
        db.session.scalars(
            select(Appeal)
            .where(Appeal.state.in_((AppealState.OPEN, AppealState.PAUSED)))
            .order_by(Appeal.created_at.desc(), Appeal.id.desc())
        )
    )


def public_appeal(slug: str) -> Appeal | None:
    """One appeal that the public may see (not drafts), with its case loaded."""
    return db.session.scalar(
        select(Appeal)
        .where(Appeal.slug == slug, Appeal.state.in_(PUBLIC_STATES))
        .options(
            selectinload(Appeal.people), selectinload(Appeal.charges),
            selectinload(Appeal.events), selectinload(Appeal.sources),
            selectinload(Appeal.demands),
            selectinload(Appeal.recipients).selectinload(AppealRecipient.post),
        )
    )


def appeal_by_slug(slug: str) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.slug == slug))


def signature_counts() -> dict[int, dict[str, int]]:
    """{appeal_id: {status: count}} for the dashboard (one grouped query)."""
    rows = db.session.execute(
        select(Signature.appeal_id, Signature.status, func.count())
        .group_by(Signature.appeal_id, Signature.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for appeal_id, status, n in rows:
        counts.setdefault(appeal_id, {})[status] = n
    return counts


def public_signers(appeal: Appeal, limit: int = 200) -> list[Signature]:
    """Confirmed signers who chose to be shown, most recent first."""
    return list(
        db.session.scalars(
            select(Signature)
            .where(
                Signature.appeal_id == appeal.id,
                Signature.status == SignatureStatus.CONFIRMED,
                Signature.public_display != "none",
            )
            .order_by(Signature.confirmed_at.desc())
            .limit(limit)
        )
    )
