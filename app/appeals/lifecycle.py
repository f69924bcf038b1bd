"""An appeal's life after it opens: a "write before" deadline, pausing at the request of the
family or the lawyer, resuming, and closing with the case's outcome.

Each function is one use case and commits once. The public page reads `write_before`,
`paused_notice` and `outcome` (app/templates/public/appeal.html).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Appeal
from app.models.enums import AppealOutcome, AppealState


def set_deadline(appeal: Appeal, write_before: date | None) -> None:
    """Set (or, with None, remove) the day the appeal closes. Commits."""
    appeal.write_before = write_before
    db.session.commit()


def pause(appeal: Appeal, notice: str) -> None:
    """Stop signing and letters, with a notice on the public page saying why. Commits."""
    appeal.paused_notice = notice.strip()
    appeal.state = AppealState.PAUSED
    db.session.commit()


def resume(appeal: Appeal) -> None:
    """Open a paused appeal again; held letters and updates go out. Commits."""
    appeal.state = AppealState.OPEN
    db.session.commit()


def close(appeal: Appeal, outcome: str) -> None:
    """Close the appeal (or correct the outcome of a closed one) with the case's outcome. Commits."""
    appeal.outcome = AppealOutcome(outcome)
    appeal.state = AppealState.CLOSED
    db.session.commit()


def due_appeals(today: date) -> list[Appeal]:
    """Open appeals whose "write before" day has come."""
    return list(db.session.scalars(
        select(Appeal).where(Appeal.state == AppealState.OPEN, Appeal.write_before.is_not(None),
                             Appeal.write_before <= today).order_by(Appeal.id)))


def close_due(today: date) -> list[str]:
    """Close every open appeal whose deadline is `today` or earlier; the slugs closed. Commits.

    Idempotent: a closed appeal is not open, so a second run the same day closes nothing.
    Paused appeals are left alone: the pause was a person's decision, and resuming one after
    its deadline closes it on the next run.
    """
    closed = due_appeals(today)
    for appeal in closed:
        appeal.state = AppealState.CLOSED
    db.session.commit()
    return [appeal.slug for appeal in closed]
