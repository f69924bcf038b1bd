"""Administrators' pages for accounts: invite a coordinator, set role and organisation, disable;
and the invitee's page that turns the e-mailed link into a password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import admin_required
from app.auth.account_forms import ROLE_LABELS, AccountForm, ActiveForm, InviteForm
from app.auth.accounts import (
    AccountExists,
    accept_invitation,
    accounts,
    check_invitation,
    invite,
    is_invited,
    organisations,
    set_active,
    update_account,
)
from app.auth.forms import NewPasswordForm
from app.extensions import db
from app.logging_setup import carries_secret
from app.models import Group, User
from app.tokens import TokenError

bp = Blueprint("people", __name__)


def _people_page(form: InviteForm, status: int = 200):
    return render_template("auth/people.html", form=form, users=accounts(), is_invited=is_invited,
                           roles=ROLE_LABELS, active_form=ActiveForm()), status


@bp.route("/coordinator/people", methods=["GET", "POST"])
@admin_required
def index():
    """Every account, and the invitation form."""
    form = InviteForm().with_groups(organisations())
    if not form.validate_on_submit():
        return _people_page(form, 400 if form.is_submitted() else 200)
    group = db.session.get(Group, form.group_id.data) if form.group_id.data else None
    try:
        invite(form.email.data, form.role.data, group)
    except AccountExists:
        form.email.errors.append(_("There is already an account for this e-mail."))
        return _people_page(form, 400)
    flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
    return redirect(url_for(".index"), 303)


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/coordinator/people/<int:user_id>", methods=["GET", "POST"])
@admin_required
def account(user_id: int):
    """One account's role and organisation."""
    user = _account(user_id)
    form = AccountForm(obj=user).with_groups(organisations())
    if form.validate_on_submit():
        update_account(user, form.role.data, db.session.get(Group, form.group_id.data)
                       if form.group_id.data else None)
        flash(_("Saved %(email)s.", email=user.email), "success")
        return redirect(url_for(".index"), 303)
    return render_template("auth/account.html", user=user, form=form, active_form=ActiveForm(),
                           is_invited=is_invited), 400 if form.is_submitted() else 200


def _activation(user_id: int, active: bool):
    """Disable (its sessions end now) or enable an account; never one's own."""
    user = _account(user_id)
    if not ActiveForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for(".index"), 303)
    set_active(user, active)
    flash(_("%(email)s can log in again.", email=user.email) if active else
          _("%(email)s is disabled and logged out everywhere.", email=user.email), "success")
    return redirect(url_for(".index"), 303)


@bp.post("/coordinator/people/<int:user_id>/disable")
@admin_required
def disable(user_id: int):
    return _activation(user_id, False)


@bp.post("/coordinator/people/<int:user_id>/enable")
@admin_required
def enable(user_id: int):
    return _activation(user_id, True)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@carries_secret
def accept_invitation_page(token: str):
    """The invitee chooses a password; the link then stops working."""
    form = NewPasswordForm()
    try:
        user = accept_invitation(token, form.password.data) if form.validate_on_submit() \
            else check_invitation(token)
    except TokenError as error:
        return render_template("auth/invitation_failed.html", reason=error.reason), 410
    if form.is_submitted() and not form.errors:
        flash(_("Your account is ready. Log in with your e-mail and new password."), "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/invitation.html", form=form, email=user.email), (
        400 if form.errors else 200)
