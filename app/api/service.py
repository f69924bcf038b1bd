"""What the API reads: public appeals and statements, their signatures, paged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from app.appeals.queries import PUBLIC_STATES
from app.extensions import db
from app.models import Appeal, Signature
from app.models.enums import AppealState, PublicDisplay, SignatureStatus
from app.models.statement import Cosigner, OrgSignature, Statement
from app.statements.listing import cosigners, undersigned

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _paged(query: Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return Page(list(rows), total or 0, page, per_page)


def sliced(items: list, page: int, per_page: int) -> Page:
    """One page of a list already in memory."""
    start = (page - 1) * per_page
    return Page(items[start:start + per_page], len(items), page, per_page)


def appeals_page(page: int, per_page: int) -> Page:
    """Appeals the public may see (not drafts), newest first."""
    return _paged(select(Appeal).where(Appeal.state.in_(PUBLIC_STATES))
                  .order_by(Appeal.created_at.desc(), Appeal.id.desc()), page, per_page)


def public_appeal(slug: str) -> Appeal | None:
    if len(slug) > 80:
        return None
    return db.session.scalar(
        select(Appeal).where(Appeal.slug == slug, Appeal.state.in_(PUBLIC_STATES)))


def owns(group_id: int | None, owner_group_id: int | None) -> bool:
    """True when the caller's key belongs to the organisation running the appeal."""
    return group_id is not None and group_id == owner_group_id


def _signatures(appeal: Appeal, owner: bool) -> Select:
    query = select(Signature).where(Signature.appeal_id == appeal.id,
                                    Signature.status == SignatureStatus.CONFIRMED)
    if not owner:  # the public list: only those who chose to be shown
        query = query.where(Signature.public_display != PublicDisplay.NONE)
    return query.order_by(Signature.confirmed_at.desc(), Signature.id.desc())


def signatures_page(appeal: Appeal, owner: bool, page: int, per_page: int) -> Page:
    """Confirmed signatures: all of them for the owner, else the public signer list."""
    return _paged(_signatures(appeal, owner), page, per_page)


def one_signature(appeal: Appeal, signature_id: int, owner: bool) -> Signature | None:
    return db.session.scalar(_signatures(appeal, owner).where(Signature.id == signature_id))


def statements_page(page: int, per_page: int) -> Page:
    return _paged(select(Statement).join(Appeal).where(Appeal.state != AppealState.DRAFT)
                  .order_by(Statement.created_at.desc(), Statement.id.desc()), page, per_page)


def public_statement(slug: str) -> Statement | None:
    if len(slug) > 80:
        return None
    return db.session.scalar(select(Statement).join(Appeal).where(
        Statement.slug == slug, Appeal.state != AppealState.DRAFT))


def statement_total(statement: Statement) -> int:
    """Approved organisations, the statement's public count."""
    return len(undersigned(statement))


def statement_signers(statement: Statement, owner: bool) -> tuple[list, list, list]:
    """(public organisations, individuals, the owner's full organisation rows)."""
    if not owner:
        return undersigned(statement), cosigners(statement), []
    people = db.session.scalars(select(Cosigner).where(Cosigner.statement_id == statement.id)
                                .order_by(Cosigner.id)).all()
    orgs = db.session.scalars(select(OrgSignature).where(OrgSignature.statement_id == statement.id)
                              .order_by(OrgSignature.id)).all()
    return [], list(people), list(orgs)
