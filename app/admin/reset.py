"""Password reset for coordinators and staff, without telling anyone which accounts exist.

The request form answers the same whatever the address; only an existing, active account gets
an e-mail (through the outbox) with a single-use link of its own purpose, valid one hour.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import delete
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.service import find_user, hash_password
from app.delivery.outbox import queue_email
from app.extensions import db
from app.models import Token, User
from app.ratelimit import over_limit
from app.tokens import TokenError, issue_token, redeem_for

bp = Blueprint("password_reset", __name__, url_prefix="/password-reset")
RESET_PURPOSE = "reset_password"
RESET_TTL = timedelta(hours=1)
MIN_PASSWORD_LENGTH = 12


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Your account's e-mail"), validators=[
        DataRequired(_l("Enter your e-mail.")), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=1000,
               message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")])
    confirm = PasswordField(_l("The same again"), validators=[
        DataRequired(_l("Enter the password a second time.")),
        EqualTo("password", "The two passwords differ.")])

    def validate_password(self, field) -> None:  # noqa: ANN001
        if field.data and field.data.strip() != field.data:
            raise ValidationError(_("Remove spaces at the start or end."))


def request_reset(email: str) -> None:
    """Queue a reset link for an active account with this address; nothing otherwise. Commits."""
    user = find_user(email)
    if user is None or not user.active:
        return
    raw = issue_token(RESET_PURPOSE, user.id, ttl=RESET_TTL)
    link = current_app.config["BASE_URL"] + url_for("password_reset.reset", token=raw)
    queue_email(kind="password_reset", to=user.email, subject=_("Reset your Appeal Desk password"),
                body_text=render_template("email/password_reset.txt", link=link,
                                          minutes=int(RESET_TTL.total_seconds() // 60)),
                sensitive=True)
    db.session.commit()


def reset_password(raw_token: str, password: str) -> User:
    """Set a new password with a reset token; unlocks the account. Commits; raises TokenError."""
    user = redeem_for(RESET_PURPOSE, raw_token, User)
    if not user.active:
        db.session.rollback()
        raise TokenError("invalid")
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    # Any other reset link sent to this account dies with this one.
    db.session.execute(delete(Token).where(Token.purpose == RESET_PURPOSE,
                                           Token.subject_id == user.id, Token.used_at.is_(None)))
    db.session.commit()
    return user


@bp.route("", methods=["GET", "POST"])
def request_form():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # Over the limit the answer is the same, and no e-mail goes out (no mail bombing).
        if not over_limit("password-reset", current_app.config["RATELIMIT_LOGIN"]):
            request_reset(form.email.data)
        return render_template("admin/password_reset_sent.html")
    return render_template("admin/password_reset_request.html", form=form), (
        400 if form.is_submitted() else 200)


@bp.route("/<token>", methods=["GET", "POST"])
def reset(token: str):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data)
        except TokenError as error:
            return render_template("admin/password_reset_failed.html", reason=error.reason), 410
        flash(_("Your password was changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("admin/password_reset.html", form=form), 400 if form.is_submitted() else 200
