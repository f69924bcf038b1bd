"""The statement text as the public page shows it: rendered when a coordinator saves it.

Rendering a coordinator's template costs time (and is bounded only by the sandbox process's
limits); an anonymous page view must never pay it, so the result is stored in
Statement.text_html and the public page serves that.
"""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.models.statement import Statement


def render_text(statement: Statement) -> None:
    """Render the public text into statement.text_html (None while letters are not allowed:
    paused appeal, or no recipient). Does not commit. Raises StatementTemplateError."""
    from app.statements.letter import public_text_html

    html = public_text_html(statement)
    statement.text_html = str(html) if html is not None else None


def stored_text(statement: Statement) -> Markup | None:
    """What the public page shows: the stored rendering, only while letters are allowed."""
    if statement.text_html is None or not statement.appeal.letters_allowed:
        return None
    return Markup(statement.text_html)


def render_all() -> list[tuple[str, str | None]]:
    """Render every statement's text again; (slug, error or None) each. Commits each one."""
    from app.statements.rendering import StatementTemplateError

    outcome = []
    for statement in db.session.scalars(select(Statement).order_by(Statement.slug)).all():
        try:
            render_text(statement)
        except StatementTemplateError as error:
            outcome.append((statement.slug, str(error)))
            continue
        db.session.commit()
        outcome.append((statement.slug, None))
    return outcome
