"""Reading statements for the coordinator's and the public pages (no writes here)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Appeal, Post
from app.models.enums import AppealState
from app.models.statement import OrgSignature, OrgSignatureStatus, Statement, StatementState


def statement_by_slug(slug: str) -> Statement | None:
    return db.session.scalar(select(Statement).where(Statement.slug == slug))


def slug_taken(slug: str, statement: Statement | None = None) -> bool:
    """True when another statement than `statement` has this slug."""
    other = db.session.scalar(select(Statement.id).where(Statement.slug == slug))
    return other is not None and (statement is None or other != statement.id)


def post_choices() -> list[tuple[int, str]]:
    """Every post of the directory as (id, "label (organisation)"), for the recipient pickers."""
    posts = db.session.scalars(select(Post).order_by(Post.label))
    return [(p.id, f"{p.label} ({p.organization.name})") for p in posts]


def statements_of(appeals: list[Appeal]) -> list[Statement]:
    """The statements of these appeals, newest first."""
    if not appeals:
        return []
    return list(db.session.scalars(
        select(Statement).where(Statement.appeal_id.in_([a.id for a in appeals]))
        .order_by(Statement.created_at.desc(), Statement.id.desc())))


def awaiting_counts() -> dict[int, int]:
    """Organisation signatures awaiting moderation, per statement id."""
    rows = db.session.execute(
        select(OrgSignature.statement_id, func.count())
        .where(OrgSignature.status == OrgSignatureStatus.AWAITING)
        .group_by(OrgSignature.statement_id))
    return dict(rows.all())


def signatures_of(statement: Statement) -> list[OrgSignature]:
    """Every organisation signature of a statement, newest first."""
    return list(db.session.scalars(
        select(OrgSignature).where(OrgSignature.statement_id == statement.id)
        .order_by(OrgSignature.created_at.desc(), OrgSignature.id.desc())))


def signature_ids_of(statement: Statement) -> list[int]:
    return list(db.session.scalars(
        select(OrgSignature.id).where(OrgSignature.statement_id == statement.id)))


def collecting_of(appeal: Appeal) -> list[Statement]:
    """Statements of `appeal` in the collecting state, oldest first."""
    return list(db.session.scalars(
        select(Statement).where(Statement.appeal_id == appeal.id,
                                Statement.state == StatementState.COLLECTING)
        .order_by(Statement.id)))


def public_statement(slug: str) -> Statement | None:
    """A statement the public may see: its appeal is not a draft."""
    if len(slug) > 80:
        return None
    return db.session.scalar(
        select(Statement).join(Appeal).where(Statement.slug == slug, Appeal.state != AppealState.DRAFT)
    )
