"""Reading appeals for the public pages and the dashboard."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, literal, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import Appeal, AppealRecipient, Membership, Post, Signature, SignatureTally
from app.models.enums import AppealState, PublicDisplay, SignatureStatus

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


# Built once: the options' cache key is then worked out once, not on every page view. What the
# public page shows of each recipient (post, organisation, holder) is loaded with it, in two
# queries whatever the number of recipients, instead of lazily, several queries a recipient.
_PUBLIC_APPEAL = (
    select(Appeal)
    .where(Appeal.slug == bindparam("slug"), Appeal.state.in_(PUBLIC_STATES))
    .options(
        selectinload(Appeal.people), selectinload(Appeal.charges),
        selectinload(Appeal.events), selectinload(Appeal.sources),
        selectinload(Appeal.demands), joinedload(Appeal.group),
        selectinload(Appeal.recipients).selectinload(AppealRecipient.post).options(
            joinedload(Post.organization),
            selectinload(Post.memberships).joinedload(Membership.person)),
    )
)


def public_appeal(slug: str) -> Appeal | None:
    """One appeal that the public may see (not drafts), with its case and recipients loaded."""
    return db.session.scalar(_PUBLIC_APPEAL, {"slug": slug})


def appeal_by_slug(slug: str) -> Appeal | None:
    return db.session.scalar(select(Appeal).where(Appeal.slug == slug))


def signature_counts(appeal_id: int | None = None) -> dict[int, dict[str, int]]:
    """{appeal_id: {status: count}} for the dashboard, from the tallies (never a count of rows)."""
    query = select(SignatureTally.appeal_id, SignatureTally.status, SignatureTally.count)
    if appeal_id is not None:
        query = query.where(SignatureTally.appeal_id == appeal_id)
    counts: dict[int, dict[str, int]] = {}
    for tally_appeal_id, status, count in db.session.execute(query):
        counts.setdefault(tally_appeal_id, {})[status] = count
    return counts


# The partial index's own terms, as literals: a bound parameter would hide from the planner
# that the query only wants rows the index holds.
_LISTED = (Signature.status == literal(SignatureStatus.CONFIRMED.value, literal_execute=True),
           Signature.public_display != literal(PublicDisplay.NONE.value, literal_execute=True))


def public_signers(appeal: Appeal, limit: int = 200) -> list[Row]:
    """Confirmed signers who chose to be shown, most recent first: (name, country, public_display).

    Reads `limit` entries of the partial index ix_signatures_public_recent, whatever the number
    of signatures (docs/scale.md has the plans).
    """
    return list(db.session.execute(
        select(Signature.name, Signature.country, Signature.public_display)
        .where(Signature.appeal_id == appeal.id, *_LISTED)
        .order_by(Signature.confirmed_at.desc())
        .limit(limit)
    ))
