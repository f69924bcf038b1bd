"""Organisational sign-on statements: public sign-on pages and coordinator moderation."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.coordinator.access import appeal_for, coordinator_required, scope_appeals
from app.directory.resolve import resolve
from app.extensions import db, limiter
from app.i18n import current_language
from app.logging_setup import carries_secret
from app.models import Appeal, Post
from app.models.statement import OrgSignature, OrgSignatureStatus, Statement
from app.statements import listing, published, service
from app.statements.forms import (
    STATE_LABELS,
    STATUS_LABELS,
    BulkApproveForm,
    ButtonForm,
    CosignForm,
    ModerationForm,
    OrgSignForm,
    StateForm,
    StatementForm,
)
from app.statements.rendering import StatementTemplateError
from app.tokens import TokenError

bp = Blueprint("statements", __name__, url_prefix="/coordinator/statements")
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
    from app.models.statement import StatementState

    rows = db.session.scalars(
        select(Statement).where(Statement.appeal_id == appeal.id,
                                Statement.state == StatementState.COLLECTING)
        .order_by(Statement.id))
    return [s for s in rows if service.refusal_reason(s) is None]


def _public(slug: str) -> Statement:
    statement = service.public_statement(slug)
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
        recipients=[(r, resolve(r.post)) for r in service.recipients_of(statement)],
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
    return render_template("statements/button.html", form=ButtonForm(), heading="Confirm the signature",
                           action=url_for(".confirm", token=token), button="Confirm our signature")


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
                           heading="Withdraw the signature", action=url_for(".withdraw", token=token),
                           button="Withdraw our signature",
                           note="The organisation will no longer be listed nor sent.")


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
    return render_template("statements/button.html", form=ButtonForm(), heading="Confirm your signature",
                           action=url_for(".cosign_confirm", token=token), button="Confirm my signature")


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
    return render_template("statements/button.html", form=ButtonForm(), heading="Withdraw your signature",
                           action=url_for(".cosign_withdraw", token=token),
                           button="Withdraw my signature", note="Your name will no longer be listed.")


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


def _statement_for(slug: str) -> Statement:
    """The statement if the current user may manage its appeal, else 404."""
    statement = db.session.scalar(select(Statement).where(Statement.slug == slug))
    if statement is None:
        abort(404)
    appeal_for(current_user, statement.appeal.slug)
    return statement


def _scoped_appeals() -> list[Appeal]:
    return list(db.session.scalars(scope_appeals(select(Appeal).order_by(Appeal.title),
                                                 current_user)))


def _post_choices() -> list[tuple[int, str]]:
    posts = db.session.scalars(select(Post).order_by(Post.label))
    return [(p.id, f"{p.label} ({p.organization.name})") for p in posts]


def _statement_form(statement: Statement | None = None, **kwargs) -> StatementForm:
    def taken(slug: str) -> bool:
        other = db.session.scalar(select(Statement.id).where(Statement.slug == slug))
        return other is not None and (statement is None or other != statement.id)

    return StatementForm(appeal_choices=[(a.slug, a.title) for a in _scoped_appeals()],
                         post_choices=_post_choices(), slug_taken=taken, **kwargs)


def _input(form: StatementForm) -> service.StatementInput:
    return service.StatementInput(
        title=form.title.data, slug=form.slug.data, intro=form.intro.data or "", text=form.text.data,
        deadline=form.deadline.data, allow_individuals=form.allow_individuals.data,
        to_post_ids=tuple(form.to_posts.data or ()), cc_post_ids=tuple(form.cc_posts.data or ()),
    )


@bp.get("/")
@coordinator_required
def index():
    appeals = _scoped_appeals()
    statements = db.session.scalars(
        select(Statement).where(Statement.appeal_id.in_([a.id for a in appeals]))
        .order_by(Statement.created_at.desc(), Statement.id.desc())
    ) if appeals else []
    return render_template("statements/index.html", statements=list(statements),
                           counts=_awaiting_counts())


def _awaiting_counts() -> dict[int, int]:
    from sqlalchemy import func

    rows = db.session.execute(
        select(OrgSignature.statement_id, func.count())
        .where(OrgSignature.status == OrgSignatureStatus.AWAITING)
        .group_by(OrgSignature.statement_id))
    return dict(rows.all())


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required
def new():
    form = _statement_form()
    if request.method == "GET":
        appeal_slug = request.args.get("appeal", "")
        if appeal_slug:
            appeal = appeal_for(current_user, appeal_slug)
            form.appeal.data = appeal.slug
            form.to_posts.data = [r.post_id for r in appeal.recipients if r.role == "to"]
            form.cc_posts.data = [r.post_id for r in appeal.recipients if r.role == "cc"]
            form.title.data = f"Joint statement: {appeal.title}"
        return render_template("statements/edit.html", form=form, statement=None)
    if not form.validate_on_submit():
        return render_template("statements/edit.html", form=form, statement=None), 400
    try:
        statement = service.create_statement(appeal_for(current_user, form.appeal.data), _input(form))
    except StatementTemplateError as error:
        form.text.errors.append(_("The text cannot be rendered. %(error)s", error=error))
        return render_template("statements/edit.html", form=form, statement=None), 400
    flash(_("The statement is created and collecting signatures."), "success")
    return redirect(url_for(".detail", slug=statement.slug), 303)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@coordinator_required
def edit(slug: str):
    statement = _statement_for(slug)
    if request.method == "GET":
        form = _statement_form(statement, obj=statement, appeal=statement.appeal.slug)
        form.to_posts.data = [r.post_id for r in statement.recipients if r.role == "to"]
        form.cc_posts.data = [r.post_id for r in statement.recipients if r.role == "cc"]
        return render_template("statements/edit.html", form=form, statement=statement)
    form = _statement_form(statement)
    form.appeal.data = statement.appeal.slug  # a statement stays with its appeal
    if not form.validate_on_submit():
        return render_template("statements/edit.html", form=form, statement=statement), 400
    try:
        service.update_statement(statement, _input(form))
    except StatementTemplateError as error:
        form.text.errors.append(_("The text cannot be rendered. %(error)s", error=error))
        return render_template("statements/edit.html", form=form, statement=statement), 400
    flash(_("The statement is saved."), "success")
    return redirect(url_for(".detail", slug=statement.slug), 303)


def _render_detail(statement: Statement, *, bulk_form=None, state_form=None, status: int = 200):
    signatures = db.session.scalars(
        select(OrgSignature).where(OrgSignature.statement_id == statement.id)
        .order_by(OrgSignature.created_at.desc(), OrgSignature.id.desc())
    ).all()
    bulk_form = bulk_form or BulkApproveForm()
    bulk_form.selected.choices = [SelectChoice(s.id, s.org_name) for s in signatures]
    entries = listing.undersigned(statement)
    return render_template(
        "statements/detail.html", statement=statement, signatures=signatures,
        text_error=_text_error(statement),
        bulk_form=bulk_form, state_form=state_form or StateForm(), count=len(entries),
        cosigners=listing.cosigners(statement), recipients=service.recipients_of(statement),
        refusal=service.refusal_reason(statement),
    ), status


def _text_error(statement: Statement) -> str | None:
    """Why the text does not render (an undefined name only shows when rendering), or None."""
    from app.statements.letter import public_text_html

    try:
        public_text_html(statement)
    except StatementTemplateError as error:
        return str(error)
    return None


@bp.get("/<slug>")
@coordinator_required
def detail(slug: str):
    return _render_detail(_statement_for(slug))


@bp.post("/<slug>/state")
@coordinator_required
def change_state(slug: str):
    statement = _statement_for(slug)
    form = StateForm()
    if not form.validate_on_submit():
        return _render_detail(statement, state_form=form, status=400)
    action = {"close": service.close_statement, "reopen": service.reopen_statement,
              "sent": service.mark_sent}[form.action.data]
    try:
        action(statement)
    except service.StatementError as error:
        form.action.errors.append(str(error))
        return _render_detail(statement, state_form=form, status=409)
    flash(_("The statement is now %(state)s.", state=STATE_LABELS[statement.state]), "success")
    return redirect(url_for(".detail", slug=slug), 303)


@bp.post("/<slug>/approve")
@coordinator_required
def bulk_approve(slug: str):
    statement = _statement_for(slug)
    form = BulkApproveForm()
    form.selected.choices = [SelectChoice(s, str(s)) for s in db.session.scalars(
        select(OrgSignature.id).where(OrgSignature.statement_id == statement.id))]
    if not form.validate_on_submit():
        return _render_detail(statement, bulk_form=form, status=400)
    try:
        count = service.bulk_approve(statement, form.selected.data, current_user)
    except service.StatementError as error:
        form.selected.errors = [str(error)]
        return _render_detail(statement, bulk_form=form, status=409)
    flash(ngettext("%(num)d signature approved.", "%(num)d signatures approved.", count), "success")
    return redirect(url_for(".detail", slug=slug), 303)


def _signature_for(statement: Statement, signature_id: int) -> OrgSignature:
    signature = db.session.get(OrgSignature, signature_id)
    if signature is None or signature.statement_id != statement.id:
        abort(404)
    return signature


@bp.route("/<slug>/signatures/<int:signature_id>", methods=["GET", "POST"])
@coordinator_required
def moderate(slug: str, signature_id: int):
    statement = _statement_for(slug)
    signature = _signature_for(statement, signature_id)
    form = ModerationForm()
    if request.method == "GET":
        return render_template("statements/signature.html", statement=statement,
                               signature=signature, form=form)
    if not form.validate_on_submit():
        return render_template("statements/signature.html", statement=statement,
                               signature=signature, form=form), 400
    try:
        if form.action.data == "approve":
            service.approve(signature, current_user)
        elif form.action.data == "reject":
            service.reject(signature, current_user, form.message.data)
        else:
            service.ask_clarification(signature, current_user, form.message.data)
    except service.StatementError as error:
        form.action.errors.append(str(error))
        return render_template("statements/signature.html", statement=statement,
                               signature=signature, form=form), 409
    flash(f"{signature.org_name}: {STATUS_LABELS.get(signature.status, signature.status)}.", "success")
    return redirect(url_for(".detail", slug=slug), 303)


# --- Outputs ----------------------------------------------------------------------------------


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/<slug>/undersigned.csv")
@coordinator_required
def undersigned_csv(slug: str):
    statement = _statement_for(slug)
    return _download(listing.undersigned_csv(statement), "text/csv",
                     f"{statement.slug}-undersigned.csv")


@bp.get("/<slug>/undersigned.txt")
@coordinator_required
def undersigned_text(slug: str):
    statement = _statement_for(slug)
    return Response(listing.undersigned_text(statement), mimetype="text/plain",
                    headers={"Cache-Control": "no-store"})


@bp.get("/<slug>/letters/<int:recipient_id>.pdf")
@coordinator_required
def letter_pdf(slug: str, recipient_id: int):
    from app.letters.service import LettersNotAllowed
    from app.statements.letter import letter_pdf as render_pdf

    statement = _statement_for(slug)
    link = next((r for r in statement.recipients if r.id == recipient_id), None)
    if link is None:
        abort(404)
    try:
        pdf = render_pdf(statement, link)
    except (StatementTemplateError, LettersNotAllowed) as error:
        flash(_("The letter cannot be rendered: %(error)s", error=error), "error")
        return redirect(url_for(".detail", slug=slug), 303)
    return _download(pdf, "application/pdf", f"{statement.slug}-{link.post.slug}.pdf")
