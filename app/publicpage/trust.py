"""The pages that say who runs the appeals, how to reach them, and what is kept about signers;
the organisations' logos they show, served from this host."""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, true

from app.appeals.queries import PUBLIC_STATES
from app.extensions import db
from app.models import Appeal, Group, User
from app.publicpage.routes import image_response

bp = Blueprint("trust", __name__)

LOGO_MAX_AGE_S = 365 * 24 * 3600  # the URL carries the logo's digest: a new logo, a new URL
UNVERSIONED_MAX_AGE_S = 300


def running_groups() -> list[Group]:
    """The organisations with at least one public appeal, by name."""
    return list(db.session.scalars(
        select(Group).where(Group.id.in_(_with_public_appeal())).order_by(Group.name)))


def _with_public_appeal():
    return select(Appeal.group_id).where(Appeal.state.in_(PUBLIC_STATES))


def public_logo(slug: str, user: User | None = None) -> Group | None:
    """The organisation `slug` if it has a logo and runs a public appeal (an organisation with
    none is not named in public, not even by its logo), or if `user` coordinates it (the
    preview of its first appeal shows the logo too)."""
    visible = Group.id.in_(_with_public_appeal())
    if user is not None and user.role == "admin":
        visible = true()
    elif user is not None and user.role == "coordinator":
        visible = visible | (Group.id == user.group_id)
    return db.session.scalar(select(Group).where(
        Group.slug == slug, Group.logo_png.is_not(None), visible))


def logo_url(group: Group | None) -> str | None:
    """Where public pages load `group`'s logo from (this host), or None if it has none."""
    if group is None or not group.logo_png:
        return None
    return url_for("trust.logo", slug=group.slug, v=_digest(group.logo_png))


def _digest(png: bytes) -> str:
    return hashlib.sha256(png).hexdigest()[:16]


bp.add_app_template_global(logo_url, "organisation_logo_url")


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


@bp.get("/org/<slug>/logo.png")
def logo(slug: str):
    """The organisation's logo as stored: a PNG Pillow re-encoded when it was uploaded."""
    group = public_logo(slug, current_user if current_user.is_authenticated else None)
    if group is None:
        abort(404)
    current = request.args.get("v") == _digest(group.logo_png)
    response = image_response(group.logo_png, "image/png",
                              LOGO_MAX_AGE_S if current else UNVERSIONED_MAX_AGE_S)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
