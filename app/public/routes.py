"""Public pages: the list of appeals, an appeal with its sign form, and confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from app import pagecache
from app.appeals.localized import appeal_text
from app.appeals.queries import public_appeal, public_appeals, public_signers
from app.appeals.rendering import render_markdown
from app.delivery.channels import signer_token
from app.directory.resolve import holding
from app.directory.routing import appeal_recipients
from app.directory.translations import text
from app.extensions import db
from app.i18n import current_language, prefer_content_language
from app.logging_setup import carries_secret
from app.models import Signature
from app.models.enums import TokenPurpose
from app.net import client_key
from app.public.forms import ConfirmForm, SignForm
from app.publicpage.page import page_extras, share_block
from app.publicpage.sharing import channel_of, refer_pending_signature
from app.signatures.service import (
    SignOutcome,
    confirm_signature,
    count_refused_attempt,
    sign_appeal,
    signing_target,
)
from app.tokens import TokenError, token_subject

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
    recipients = [(r, holding(r.post)) for r in appeal_recipients(appeal)]
    return render_template(
        "public/appeal.html",
        appeal=appeal,
        text=appeal_text(appeal, current_language()),
        form=form,
        recipients=recipients,
        body_html=render_markdown(appeal.body_md),
        signers=public_signers(appeal),
        **page_extras(appeal),
    ), status


def _recipient_choices(appeal):
    language = current_language()
    return [(r.post_id, text(r.post, language, "label")) for r in appeal_recipients(appeal)]


@bp.get("/a/<slug>")
def appeal_page(slug: str):
    version = None
    channel = channel_of(request.args.get("ref")) or ""  # a share link's channel rides in the form
    if pagecache.enabled() and len(slug) <= 80:
        version = pagecache.appeal_version(slug)
        if version is None:
            abort(404)
        prefer_content_language(pagecache.own_language(version))
        if (cached := pagecache.get(slug, version, channel)) is not None:
            return cached
    appeal = _load(slug)
    form = SignForm(recipient_choices=_recipient_choices(appeal), ref=channel or None)
    html, status = _render_appeal(appeal, form)
    if version is not None:
        pagecache.put(slug, version, html, channel)
    return html, status


@bp.post("/a/<slug>")
def sign(slug: str):
    target = signing_target(slug)
    if target is None:
        abort(404)
    form = SignForm(recipient_choices=target.choices)
    refusal = 409 if not target.accepts_signatures else (None if form.validate() else 400)
    if refusal or form.website.data:  # refused, or a bot filled in the honeypot: store nothing
        if count_refused_attempt(client_key()):
            abort(429)
        if refusal:
            return _render_appeal(_load(slug), form, refusal)
        return redirect(url_for("public.thanks", slug=slug), 303)
    outcome = sign_appeal(target, form.signature_input(), client_key())
    if outcome is SignOutcome.FLOOD:
        abort(429)
    if outcome is SignOutcome.NOT_OPEN:
        return _render_appeal(_load(slug), form, 409)
    if outcome is not SignOutcome.SUSPECT and (channel := channel_of(form.ref.data)):
        refer_pending_signature(target.id, form.email.data, channel)
    return redirect(url_for("public.thanks", slug=slug), 303)


@bp.get("/a/<slug>/thanks")
def thanks(slug: str):
    appeal = _load(slug)
    return render_template("public/thanks.html", appeal=appeal, share=share_block(appeal))


@bp.get("/confirm/<token>")
@carries_secret
def confirm_page(token: str):
    return render_template("public/confirm.html", form=ConfirmForm(), token=token,
                           appeal=_appeal_of_token(token))


def _appeal_of_token(token: str):
    """The appeal a confirmation link is for (None for an unknown link), to name it on the page."""
    signature_id = token_subject(TokenPurpose.CONFIRM_SIGNATURE, token)
    signature = db.session.get(Signature, signature_id) if signature_id else None
    return signature.appeal if signature else None


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
    return render_template("public/confirmed.html", appeal=signature.appeal, letter_url=letter_url,
                           share=share_block(signature.appeal))
