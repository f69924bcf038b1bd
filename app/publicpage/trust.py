"""The pages that say who runs the appeals, how to reach them, and what is kept about signers."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from app.appeals.queries import PUBLIC_STATES
from app.extensions import db
from app.models import Appeal, Group

bp = Blueprint("trust", __name__)


def running_groups() -> list[Group]:
    """The organisations with at least one public appeal, by name."""
    with_public = select(Appeal.group_id).where(Appeal.state.in_(PUBLIC_STATES))
    return list(db.session.scalars(
        select(Group).where(Group.id.in_(with_public)).order_by(Group.name)))


def retention() -> dict[str, int]:
    """The periods the privacy page promises, read from the settings that enforce them."""
    config = current_app.config
    return {"confirm_days": config["CONFIRMATION_MAX_AGE_DAYS"],
            "unconfirmed_days": config["UNCONFIRMED_SIGNATURE_MAX_AGE_DAYS"],
            "email_days": config["APPEAL_EMAIL_RETENTION_DAYS"]}


@bp.get("/about")
def about():
    return render_template("publicpage/about.html", groups=running_groups())


@bp.get("/contact")
def contact():
    return render_template("publicpage/contact.html", groups=running_groups())


@bp.get("/privacy")
def privacy():
    return render_template("publicpage/privacy.html", **retention())
