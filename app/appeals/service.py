"""Changing appeals."""

from __future__ import annotations

from app.extensions import db
from app.models import Appeal
from app.models.enums import AppealState


def change_state(appeal: Appeal, state: str, paused_notice: str | None = None) -> None:
    """Open, pause (with a public notice), close or return an appeal to draft. Commits."""
    appeal.state = AppealState(state)
    if appeal.state == AppealState.PAUSED:
        appeal.paused_notice = (paused_notice or "").strip() or appeal.paused_notice
    db.session.commit()
