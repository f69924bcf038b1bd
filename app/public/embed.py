"""The sign form a partner embeds in an <iframe> on its own site (works without JavaScript)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import ValidationError

from app.appeals.queries import public_appeal
from app.extensions import csrf
from app.net import client_key
from app.partners import formtoken
from app.partners.origins import embed_policy
from app.partners.service import partner_by_code, partner_names
from app.partners.signing import AppealNotOpen, TooManySignatures, sign_through_partner
from app.public.forms import SignForm
from app.signatures.service import signing_target


class EmbedSignForm(SignForm):
    """The public sign form plus a signed token in place of the session's CSRF token."""

    form_token = HiddenField()

    def __init__(self, *args, appeal_id: int, partner_id: int, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._bound = (appeal_id, partner_id)
        if not self.is_submitted():
            self.form_token.data = formtoken.issue(appeal_id, partner_id)

    def validate_form_token(self, field) -> None:  # noqa: ANN001
        if not formtoken.is_valid(field.data, *self._bound):
            # A fresh token for the next attempt; what the person typed stays in the form.
            field.data = formtoken.issue(*self._bound)
            raise ValidationError(_l("The form expired. Please check your details and send it again."))


bp = Blueprint("embed", __name__, url_prefix="/embed")


@bp.app_template_global("coalition_names")
def coalition_names(appeal) -> list[str]:  # noqa: ANN001
    """The appeal's partner organisations, named on its public page."""
    return partner_names(appeal.id)


def _framed(body: str, partner, status: int = 200):  # noqa: ANN001
    """The page with frame-ancestors opened to this partner's origins only."""
    return body, status, {"Content-Security-Policy": embed_policy(partner.frame_origins)}


def _page(slug: str, code: str, form=None, status: int = 200):  # noqa: ANN001
    appeal = public_appeal(slug) if len(slug) <= 80 else None
    partner = partner_by_code(appeal.id, code) if appeal else None
    if partner is None:
        abort(404)
    target = signing_target(slug)
    form = form or EmbedSignForm(recipient_choices=target.choices, appeal_id=appeal.id,
                                 partner_id=partner.id)
    html = render_template("partners/embed.html", appeal=appeal, partner=partner, form=form)
    return _framed(html, partner, status)


@bp.get("/<slug>/<code>")
def form(slug: str, code: str):
    return _page(slug, code)


@bp.post("/<slug>/<code>")
@csrf.exempt  # no session cookie inside a third-party frame: the form carries its own token
def sign(slug: str, code: str):
    if not request.form.get("form_token"):
        abort(400)  # like any POST without its CSRF token, before anything is looked up
    target = signing_target(slug)
    partner = partner_by_code(target.id, code) if target else None
    if partner is None:
        abort(404)
    form = EmbedSignForm(recipient_choices=target.choices, appeal_id=target.id, partner_id=partner.id)
    if not target.accepts_signatures:
        return _page(slug, code, form, 409)
    if not form.validate():
        return _page(slug, code, form, 400)
    if not form.website.data:  # the honeypot: a bot is thanked and nothing is stored
        try:
            sign_through_partner(target, form.signature_input(), partner.id, client_key())
        except TooManySignatures:
            abort(429)
        except AppealNotOpen:
            return _page(slug, code, form, 409)
    return redirect(url_for(".thanks", slug=slug, code=code), 303)


@bp.get("/<slug>/<code>/thanks")
def thanks(slug: str, code: str):
    appeal = public_appeal(slug) if len(slug) <= 80 else None
    partner = partner_by_code(appeal.id, code) if appeal else None
    if partner is None:
        abort(404)
    return _framed(render_template("partners/embed_thanks.html", appeal=appeal, partner=partner),
                   partner)
