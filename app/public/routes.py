"""Public pages: the list of appeals, an appeal with its sign form, and confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from app import pagecache
from app.appeals.localized import appeal_text
from app.appeals.queries import public_appeal, public_appeals, public_signers
from app.appeals.rendering import render_markdown
from app.db_setup import write_intent
from app.delivery.channels import signer_token
from app.directory.resolve import resolve
from app.directory.translations import text
from app.extensions import db
from app.i18n import current_language, prefer_content_language
from app.logging_setup import carries_secret
from app.public.forms import ConfirmForm, SignForm
from app.ratelimit import sign_limits
from app.signatures.service import (
    AppealNotOpen,
    SignatureInput,
    confirm_signature,
    recipients_of,
    sign_appeal,
    signing_target,
)
from app.tokens import TokenError

bp = Blueprint("public", __name__)


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
    prefer_content_language(appeal.letter_language)
    return appeal


def _render_appeal(appeal, form, status=200):
    recipients = [(r, resolve(r.post)) for r in recipients_of(appeal)]
    return render_template(
        "public/appeal.html",
        appeal=appeal,
        text=appeal_text(appeal, current_language()),
        form=form,
        recipients=recipients,
        body_html=render_markdown(appeal.body_md),
        signers=public_signers(appeal),
    ), status


def _recipient_choices(appeal):
    language = current_language()
    return [(r.post_id, text(r.post, language, "label")) for r in recipients_of(appeal)]


@bp.get("/a/<slug>")
def appeal_page(slug: str):
    version = None
    if pagecache.enabled() and len(slug) <= 80:
        version = pagecache.appeal_version(slug)
        if version is None:
            abort(404)
        prefer_content_language(pagecache.own_language(version))
        if (cached := pagecache.get(slug, version)) is not None:
            return cached
    appeal = _load(slug)
    html, status = _render_appeal(appeal, SignForm(recipient_choices=_recipient_choices(appeal)))
    if version is not None:
        pagecache.put(slug, version, html)
    return html, status


@bp.post("/a/<slug>")
def sign(slug: str):
    # Read and validate without SQLite's writer lock; only the short write transaction at the
    # end takes it, so concurrent signers queue for a millisecond, not for a whole request.
    write_intent.set(False)
    target = signing_target(slug)
    if target is None:
        abort(404)
    form = SignForm(recipient_choices=target.choices)
    refusal = 409 if not target.accepts_signatures else None
    if refusal is None and not form.validate():
        refusal = 400
    if refusal or form.website.data:
        # Refused and honeypot posts count towards the limits too: a flood is a flood.
        if sign_limits()[1]:
            abort(429)
        if refusal:
            return _render_appeal(_load(slug), form, refusal)
        return redirect(url_for("public.thanks", slug=slug), 303)  # a bot: store nothing
    data = SignatureInput(
        name=form.name.data, email=form.email.data, country=form.country.data,
        city=form.city.data, message=form.message.data,
        public_display=form.public_display.data, letter_inclusion=form.letter_inclusion.data,
        wants_updates=form.wants_updates.data, post_ids=form.recipients.data or [],
        language=current_language(),
    )
    write_intent.set(True)
    # One write transaction: the client's rate-limit counters, then the signature. Over the
    # burst the signature is stored as suspect, with the same answer as anyone's.
    suspect, flood = sign_limits(db.session.connection())
    if flood:
        db.session.commit()  # the counts stand; nothing else is stored
        abort(429)
    try:
        sign_appeal(target, data, suspect=suspect)
    except AppealNotOpen:
        db.session.rollback()
        return _render_appeal(_load(slug), form, 409)
    return redirect(url_for("public.thanks", slug=slug), 303)


@bp.get("/a/<slug>/thanks")
def thanks(slug: str):
    return render_template("public/thanks.html", appeal=_load(slug))


@bp.get("/confirm/<token>")
@carries_secret
def confirm_page(token: str):
    return render_template("public/confirm.html", form=ConfirmForm(), token=token)


@bp.post("/confirm/<token>")
@carries_secret
def confirm(token: str):
    form = ConfirmForm()
    if not form.validate():
        return render_template("public/confirm.html", form=form, token=token), 400
    try:
        signature = confirm_signature(token)
    except TokenError as error:
        return render_template("public/confirm_failed.html", reason=error.reason), 410
    letter_url = url_for("channels.write", slug=signature.appeal.slug, s=signer_token(signature))
    return render_template("public/confirmed.html", appeal=signature.appeal, letter_url=letter_url)
