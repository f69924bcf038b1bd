"""The public pages of a sign-on statement: read, sign (organisations and individuals), confirm,
withdraw. Anonymous URLs; the coordinator's pages are in app/statements/routes.py."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _

from app.directory.resolve import holding
from app.extensions import limiter
from app.i18n import current_language
from app.logging_setup import carries_secret
from app.models import Appeal
from app.models.statement import Statement
from app.statements import listing, published, queries, service
from app.statements.forms import (
    ButtonForm,
    CosignForm,
    OrgSignForm,
)
from app.tokens import TokenError

public_bp = Blueprint("statement_public", __name__)


def _sign_limit() -> str:
    return current_app.config["RATELIMIT_SIGN"]


# --- Public -----------------------------------------------------------------------------------


@public_bp.app_template_global("statement_country_name")
def _country_name(code: str) -> str:
    return listing.country_name(code)


@public_bp.app_template_global("collecting_statements")
def collecting_statements(appeal: Appeal) -> list[Statement]:
    """Statements of `appeal` that take signatures now (for a link on the appeal's page)."""
    return [s for s in queries.collecting_of(appeal) if service.refusal_reason(s) is None]


def _public(slug: str) -> Statement:
    statement = queries.public_statement(slug)
    if statement is None:
        abort(404)
    return statement


def _render_public(statement: Statement, form=None, cosign_form=None, status: int = 200):
    text_html = published.stored_text(statement)  # never rendered per request
    entries = listing.undersigned(statement)
    return render_template(
        "statements/public.html", statement=statement, appeal=statement.appeal,
        text_html=text_html, groups=listing.by_country(entries), count=len(entries),
        cosigners=listing.cosigners(statement),
        recipients=[(r, holding(r.post)) for r in service.recipients_of(statement)],
        refusal=service.refusal_reason(statement),
        form=form or OrgSignForm(), cosign_form=cosign_form or CosignForm(),
    ), status


def _refused(statement: Statement, reason: str):
    """The polite page for a late (or otherwise refused) signature."""
    return render_template("statements/refused.html", statement=statement, reason=reason), 409


@public_bp.get("/statements/<slug>")
def statement_page(slug: str):
    return _render_public(_public(slug))


@public_bp.post("/statements/<slug>")
@limiter.limit(_sign_limit)
def sign(slug: str):
    statement = _public(slug)
    reason = service.refusal_reason(statement)
    if reason:
        return _refused(statement, reason)
    form = OrgSignForm()
    if not form.validate():
        return _render_public(statement, form=form, status=400)
    if form.website.data:  # honeypot: answer as usual, store nothing
        return redirect(url_for(".thanks", slug=slug), 303)
    data = service.OrgSignatureInput(
        org_name=form.org_name.data, country=form.country.data, website=form.org_website.data,
        description=form.description.data, contact_name=form.contact_name.data,
        contact_role=form.contact_role.data, contact_email=form.contact_email.data,
        consent_listed=form.consent.data, anonymous=form.anonymous.data,
        language=current_language(),
    )
    try:
        service.sign_as_organisation(statement, data)
    except service.StatementClosed as closed:
        return _refused(statement, closed.reason)
    return redirect(url_for(".thanks", slug=slug), 303)


@public_bp.post("/statements/<slug>/cosign")
@limiter.limit(_sign_limit)
def cosign(slug: str):
    statement = _public(slug)
    reason = service.refusal_reason(statement) or (None if statement.allow_individuals else "closed")
    if reason:
        return _refused(statement, reason)
    form = CosignForm()
    if not form.validate():
        return _render_public(statement, cosign_form=form, status=400)
    if form.website.data:
        return redirect(url_for(".thanks", slug=slug), 303)
    data = service.CosignerInput(name=form.name.data, email=form.email.data,
                                 country=form.country.data, affiliation=form.affiliation.data,
                                 language=current_language())
    try:
        service.cosign(statement, data)
    except service.StatementClosed as closed:
        return _refused(statement, closed.reason)
    return redirect(url_for(".thanks", slug=slug), 303)


@public_bp.get("/statements/<slug>/thanks")
def thanks(slug: str):
    return render_template("statements/thanks.html", statement=_public(slug))


@public_bp.get("/statements/confirm/<token>")
@carries_secret
def confirm_page(token: str):
    return render_template("statements/button.html", form=ButtonForm(), heading=_("Confirm the signature"),
                           action=url_for(".confirm", token=token), button=_("Confirm our signature"))


@public_bp.post("/statements/confirm/<token>")
@carries_secret
def confirm(token: str):
    form = ButtonForm()
    if not form.validate():
        return confirm_page(token), 400
    try:
        signature = service.confirm_org_signature(token)
    except TokenError as error:
        return render_template("statements/token_failed.html", reason=error.reason), 410
    return render_template("statements/confirmed.html", signature=signature,
                           statement=signature.statement)


@public_bp.get("/statements/withdraw/<token>")
@carries_secret
def withdraw_page(token: str):
    return render_template("statements/button.html", form=ButtonForm(),
                           heading=_("Withdraw the signature"), action=url_for(".withdraw", token=token),
                           button=_("Withdraw our signature"),
                           note=_("The organisation will no longer be listed nor sent."))


@public_bp.post("/statements/withdraw/<token>")
@carries_secret
def withdraw(token: str):
    form = ButtonForm()
    if not form.validate():
        return withdraw_page(token), 400
    try:
        signature = service.withdraw_org_signature(token)
    except TokenError as error:
        return render_template("statements/token_failed.html", reason=error.reason), 410
    except service.AlreadySent:
        return render_template("statements/token_failed.html", reason="sent"), 409
    return render_template("statements/withdrawn.html", statement=signature.statement)


@public_bp.get("/statements/cosign/confirm/<token>")
@carries_secret
def cosign_confirm_page(token: str):
    return render_template("statements/button.html", form=ButtonForm(), heading=_("Confirm your signature"),
                           action=url_for(".cosign_confirm", token=token), button=_("Confirm my signature"))


@public_bp.post("/statements/cosign/confirm/<token>")
@carries_secret
def cosign_confirm(token: str):
    form = ButtonForm()
    if not form.validate():
        return cosign_confirm_page(token), 400
    try:
        cosigner = service.confirm_cosigner(token)
    except TokenError as error:
        return render_template("statements/token_failed.html", reason=error.reason), 410
    return render_template("statements/cosigner_confirmed.html", statement=cosigner.statement)


@public_bp.get("/statements/cosign/withdraw/<token>")
@carries_secret
def cosign_withdraw_page(token: str):
    return render_template("statements/button.html", form=ButtonForm(), heading=_("Withdraw your signature"),
                           action=url_for(".cosign_withdraw", token=token),
                           button=_("Withdraw my signature"), note=_("Your name will no longer be listed."))


@public_bp.post("/statements/cosign/withdraw/<token>")
@carries_secret
def cosign_withdraw(token: str):
    form = ButtonForm()
    if not form.validate():
        return cosign_withdraw_page(token), 400
    try:
        cosigner = service.withdraw_cosigner(token)
    except TokenError as error:
        return render_template("statements/token_failed.html", reason=error.reason), 410
    except service.AlreadySent:
        return render_template("statements/token_failed.html", reason="sent"), 409
    return render_template("statements/withdrawn.html", statement=cosigner.statement, individual=True)


# --- Coordinator ------------------------------------------------------------------------------


