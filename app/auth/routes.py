"""Logging coordinators in and out, and resetting a lost password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth.forms import LoginForm, LogoutForm, NewPasswordForm, ResetRequestForm
from app.auth.reset import request_reset, reset_password
from app.auth.service import authenticate, end_sessions
from app.extensions import limiter
from app.logging_setup import carries_secret
from app.ratelimit import over_limit
from app.tokens import TokenError

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no `//` or backslash tricks."""
    fallback = url_for("coordinator.dashboard")
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return fallback
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")), 303)
        # One message for unknown account, wrong password and lock-out: no enumeration.
        form.password.errors.append(_("E-mail or password is not right, or the account is locked."))
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.is_submitted() else 200


@bp.post("/logout")
def logout():
    if LogoutForm().validate_on_submit():
        if current_user.is_authenticated:
            end_sessions(current_user, commit=True)  # a copied cookie dies with this one
        logout_user()
    return redirect(url_for("public.index"), 303)


@bp.route("/password-reset", methods=["GET", "POST"])
def password_reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # Over the limit the answer is the same, and no e-mail goes out (no mail bombing).
        if not over_limit("password-reset", current_app.config["RATELIMIT_LOGIN"]):
            request_reset(form.email.data)
        return render_template("auth/password_reset_sent.html")
    return render_template("auth/password_reset_request.html", form=form), (
        400 if form.is_submitted() else 200)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@carries_secret
def password_reset(token: str):
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset_password(token, form.password.data)
        except TokenError as error:
            return render_template("auth/password_reset_failed.html", reason=error.reason), 410
        flash(_("Your password was changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/password_reset.html", form=form), 400 if form.is_submitted() else 200
