"""The coordinator's pages of sign-on statements: write, moderate, export.

The public pages (read, sign, confirm, withdraw) are in app/public/statements.py.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import appeal_for, coordinator_required, visible_appeals
from app.extensions import db
from app.models.statement import OrgSignature, Statement
from app.statements import listing, moderation, queries, service
from app.statements.forms import (
    STATE_LABELS,
    STATUS_LABELS,
    BulkApproveForm,
    ModerationForm,
    StateForm,
    StatementForm,
)
from app.statements.rendering import StatementTemplateError

bp = Blueprint("statements", __name__, url_prefix="/coordinator/statements")


@bp.context_processor
def _labels() -> dict:
    """States and statuses in words on every coordinator page of statements (they were codes)."""
    return {"state_words": STATE_LABELS, "status_words": STATUS_LABELS}
def _statement_for(slug: str) -> Statement:
    """The statement if the current user may manage its appeal, else 404."""
    statement = queries.statement_by_slug(slug)
    if statement is None:
        abort(404)
    appeal_for(current_user, statement.appeal.slug)
    return statement


def _statement_form(statement: Statement | None = None, **kwargs) -> StatementForm:
    return StatementForm(appeal_choices=[(a.slug, a.title) for a in visible_appeals(current_user)],
                         post_choices=queries.post_choices(),
                         slug_taken=lambda slug: queries.slug_taken(slug, statement), **kwargs)


def _input(form: StatementForm) -> service.StatementInput:
    return service.StatementInput(
        title=form.title.data, slug=form.slug.data, intro=form.intro.data or "", text=form.text.data,
        deadline=form.deadline.data, allow_individuals=form.allow_individuals.data,
        to_post_ids=tuple(form.to_posts.data or ()), cc_post_ids=tuple(form.cc_posts.data or ()),
    )


@bp.get("/")
@coordinator_required
def index():
    statements = queries.statements_of(visible_appeals(current_user))
    return render_template("statements/index.html", statements=statements,
                           counts=queries.awaiting_counts())


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
    signatures = queries.signatures_of(statement)
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
    form.selected.choices = [SelectChoice(s, str(s)) for s in queries.signature_ids_of(statement)]
    if not form.validate_on_submit():
        return _render_detail(statement, bulk_form=form, status=400)
    try:
        count = moderation.bulk_approve(statement, form.selected.data, current_user)
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
            moderation.approve(signature, current_user)
        elif form.action.data == "reject":
            moderation.reject(signature, current_user, form.message.data)
        else:
            moderation.ask_clarification(signature, current_user, form.message.data)
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
