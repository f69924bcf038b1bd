"""Public pages: the list of appeals, an appeal with its sign form, and confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for

from app.appeals.queries import public_appeal, public_appeals, public_signers
from app.appeals.rendering import render_markdown
from app.directory.resolve import resolve
from app.extensions import limiter
from app.public.forms import ConfirmForm, SignForm
from app.ratelimit import over_sign_burst
from app.signatures.service import (
    AppealNotOpen,
    SignatureInput,
    confirm_signature,
    recipients_of,
    sign_appeal,
)
from app.tokens import TokenError

bp = Blueprint("public", __name__)


def _sign_ceiling() -> str:
    return current_app.config["RATELIMIT_SIGN_CEILING"]


@bp.get("/")
def index():
    return render_template("public/index.html", appeals=public_appeals())


@bp.get("/healthz")
def healthz():
    """A bare endpoint with no database work, the ceiling the sign benchmark compares with."""
    return {"status": "ok"}


def _load(slug: str):
    if len(slug) > 80:
        abort(404)
    appeal = public_appeal(slug)
    if appeal is None:
        abort(404)
    return appeal


def _render_appeal(appeal, form, status=200):
    recipients = [(r, resolve(r.post)) for r in recipients_of(appeal)]
    return render_template(
        "public/appeal.html",
        appeal=appeal,
        form=form,
        recipients=recipients,
        body_html=render_markdown(appeal.body_md),
        signers=public_signers(appeal),
    ), status


def _recipient_choices(appeal):
    return [(r.post_id, resolve(r.post).post.label) for r in recipients_of(appeal)]


@bp.get("/a/<slug>")
def appeal_page(slug: str):
    appeal = _load(slug)
    return _render_appeal(appeal, SignForm(recipient_choices=_recipient_choices(appeal)))


@bp.post("/a/<slug>")
@limiter.limit(_sign_ceiling)
def sign(slug: str):
    # Before the first query: on SQLite the counter's write must not queue behind our own.
    suspect = over_sign_burst()
    appeal = _load(slug)
    form = SignForm(recipient_choices=_recipient_choices(appeal))
    if not appeal.accepts_signatures:
        return _render_appeal(appeal, form, 409)
    if not form.validate():
        return _render_appeal(appeal, form, 400)
    if form.website.data:  # honeypot: answer as usual, store nothing
        return redirect(url_for("public.thanks", slug=slug), 303)
    data = SignatureInput(
        name=form.name.data, email=form.email.data, country=form.country.data,
        city=form.city.data, message=form.message.data,
        public_display=form.public_display.data, letter_inclusion=form.letter_inclusion.data,
        wants_updates=form.wants_updates.data, post_ids=form.recipients.data or [],
    )
    try:
        sign_appeal(appeal, data, suspect=suspect)
    except AppealNotOpen:
        return _render_appeal(appeal, form, 409)
    return redirect(url_for("public.thanks", slug=slug), 303)


@bp.get("/a/<slug>/thanks")
def thanks(slug: str):
    return render_template("public/thanks.html", appeal=_load(slug))


@bp.get("/confirm/<token>")
def confirm_page(token: str):
    return render_template("public/confirm.html", form=ConfirmForm(), token=token)


@bp.post("/confirm/<token>")
def confirm(token: str):
    form = ConfirmForm()
    if not form.validate():
        return render_template("public/confirm.html", form=form, token=token), 400
    try:
        signature = confirm_signature(token)
    except TokenError as error:
        return render_template("public/confirm_failed.html", reason=error.reason), 410
    return render_template("public/confirmed.html", appeal=signature.appeal)
