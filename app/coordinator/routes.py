"""The coordinator's dashboard: appeals, their signatures, exports and the outbox."""

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
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.appeals.queries import signature_counts
from app.appeals.service import change_state
from app.auth.access import appeal_for, coordinator_required, office_required, visible_appeals
from app.campaign_charts.charts import appeal_goal, campaign_charts
from app.coordinator.exports import signatures_csv
from app.coordinator.forms import STATE_LABELS, AppealStateForm, ExportForm
from app.coordinator.moderation import (
    delete_signer,
    deleted_message,
    drop_suspects,
    release_suspects,
    signer_of,
    suspects,
)
from app.coordinator.moderation_forms import (
    CHOICE_LABELS,
    DeleteSignerForm,
    SignerSearchForm,
    SuspectForm,
)
from app.coordinator.outbox import outbox_for
from app.coordinator.signers import PAGE_SIZE, SignerFilter, signer_list, signer_page

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")


@bp.get("/")
@office_required
def dashboard():
    appeals = visible_appeals(current_user)
    return render_template("coordinator/dashboard.html", appeals=appeals, counts=signature_counts(),
                           charts=campaign_charts([a.id for a in appeals]))


@bp.get("/appeals/<slug>")
@coordinator_required
def appeal_detail(slug: str):
    appeal = appeal_for(current_user, slug)
    before = request.args.get("before", type=int)
    return render_template(
        "coordinator/appeal.html", appeal=appeal, signatures=signer_page(appeal.id, before),
        before=before, page_size=PAGE_SIZE, counts=signature_counts(appeal.id).get(appeal.id, {}),
        state_form=AppealStateForm(state=appeal.state, paused_notice=appeal.paused_notice),
        export_form=ExportForm(), charts=campaign_charts([appeal.id], appeal_goal(appeal)),
        labels=CHOICE_LABELS,
    )


def _refused(appeal, state_form: AppealStateForm, export_form: ExportForm):  # noqa: ANN001, ANN202
    """The appeal page again, with the refused form's messages (400)."""
    return render_template(
        "coordinator/appeal.html", appeal=appeal, signatures=[], before=None, page_size=PAGE_SIZE,
        counts=signature_counts(appeal.id).get(appeal.id, {}), state_form=state_form,
        export_form=export_form, labels=CHOICE_LABELS,
    ), 400


@bp.post("/appeals/<slug>/state")
@coordinator_required
def appeal_state(slug: str):
    appeal = appeal_for(current_user, slug)
    form = AppealStateForm()
    if form.validate_on_submit():
        change_state(appeal, form.state.data, form.paused_notice.data)
        flash(_("The appeal is now %(state)s.", state=STATE_LABELS[appeal.state]), "success")
        return redirect(url_for(".appeal_detail", slug=slug), 303)
    return _refused(appeal, form, ExportForm())


@bp.post("/appeals/<slug>/signatures.csv")
@coordinator_required
def export_signatures(slug: str):
    appeal = appeal_for(current_user, slug)
    form = ExportForm()
    if not form.validate_on_submit():
        return redirect(url_for(".appeal_detail", slug=slug), 303)
    usable, private_key = form.export_key(appeal.group)
    if not usable:
        return _refused(appeal, AppealStateForm(state=appeal.state), form)
    # The rows are read while the response streams, after this view returns: under a real
    # server only stream_with_context keeps the request (and app) context for the generator.
    # The key lives in the generator and goes with it.
    return Response(
        stream_with_context(signatures_csv(appeal.id, include_emails=form.include_emails.data,
                                           private_key=private_key)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{appeal.slug}-signatures.csv"',
                 "Cache-Control": "no-store"},
    )


@bp.get("/outbox")
@coordinator_required
def outbox():
    production = current_app.config.get("PRODUCTION", False)
    return render_template("coordinator/outbox.html", production=production,
                           entries=outbox_for(current_user, production=production))


@bp.route("/appeals/<slug>/suspect", methods=["GET", "POST"])
@coordinator_required
def suspect_signatures(slug: str):
    """Signatures stored over the burst limit: release them to double opt-in, or drop them."""
    appeal = appeal_for(current_user, slug)
    rows = suspects(appeal)
    form = SuspectForm()
    form.ids.choices = [SelectChoice(s.id, s.name or f"#{s.id}") for s in rows]
    if form.validate_on_submit():
        ids = None if form.all_suspects.data else form.ids.data
        if form.release.data:
            count = release_suspects(appeal, ids)
            flash(ngettext("%(num)d signature released.", "%(num)d signatures released.", count), "success")
        else:
            count = drop_suspects(appeal, ids)
            flash(ngettext("%(num)d signature dropped.", "%(num)d signatures dropped.", count), "success")
        return redirect(url_for(".suspect_signatures", slug=slug), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("coordinator/suspect.html", appeal=appeal, signatures=rows,
                           form=form), status


@bp.route("/appeals/<slug>/signatures/<int:signature_id>/delete", methods=["GET", "POST"])
@coordinator_required
def delete_signature(slug: str, signature_id: int):
    """Delete one signer at their request, after a page that says what goes."""
    appeal = appeal_for(current_user, slug)
    signature = signer_of(appeal, signature_id)
    if signature is None:
        abort(404)
    form = DeleteSignerForm()
    if not form.validate_on_submit():
        return render_template("coordinator/delete_signer.html", appeal=appeal, signature=signature,
                               form=form, labels=CHOICE_LABELS), 400 if form.is_submitted() else 200
    deleted = delete_signer(appeal, signature_id)
    flash(deleted_message(deleted), "success")
    return redirect(url_for(".appeal_detail", slug=slug), 303)


def _signer_filter(form: SignerSearchForm) -> SignerFilter:
    """A search from the POSTed form, or a page of the list from the URL (status, before)."""
    if form.is_submitted():
        return SignerFilter(status=form.status.data or None, search=form.q.data or None,
                            before=form.before.data)
    form.status.data = request.args.get("status", "")
    return SignerFilter(status=form.status.data or None,
                        before=request.args.get("before", type=int))


@bp.route("/appeals/<slug>/signers", methods=["GET", "POST"])
@coordinator_required
def signers(slug: str):
    """Every signer with their message and choices: a page at a time, or a search (POST)."""
    appeal = appeal_for(current_user, slug)
    form = SignerSearchForm()
    invalid = form.is_submitted() and not form.validate()
    private_key = form.private_key(appeal.group) if form.key_file.data else None  # this request
    invalid = invalid or bool(form.key_file.errors)
    where = SignerFilter() if invalid else _signer_filter(form)
    rows = [] if invalid else signer_list(appeal.id, where, private_key=private_key)
    return render_template(
        "coordinator/signers.html", appeal=appeal, form=form, where=where, rows=rows,
        page_size=PAGE_SIZE, suspect_form=SuspectForm(), labels=CHOICE_LABELS,
        searched=form.is_submitted(), refused=invalid,
    ), 400 if invalid else 200
