"""The coordinator's dashboard: appeals, their signatures, exports and the outbox."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.appeals.queries import signature_counts
from app.appeals.service import change_state
from app.coordinator.access import appeal_for, coordinator_required, scope_appeals
from app.coordinator.exports import signatures_csv
from app.coordinator.forms import AppealStateForm, ExportForm
from app.coordinator.moderation import delete_signer, drop_suspects, release_suspects, suspects
from app.coordinator.moderation_forms import DeleteSignerForm, SuspectForm
from app.coordinator.signers import PAGE_SIZE, signer_page
from app.extensions import db
from app.models import Appeal, OutboxMessage

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")


@bp.get("/")
@coordinator_required
def dashboard():
    appeals = db.session.scalars(scope_appeals(select(Appeal).order_by(Appeal.title), current_user))
    return render_template("coordinator/dashboard.html", appeals=list(appeals),
                           counts=signature_counts())


@bp.get("/appeals/<slug>")
@coordinator_required
def appeal_detail(slug: str):
    appeal = appeal_for(current_user, slug)
    before = request.args.get("before", type=int)
    return render_template(
        "coordinator/appeal.html", appeal=appeal, signatures=signer_page(appeal.id, before),
        before=before, page_size=PAGE_SIZE, counts=signature_counts(appeal.id).get(appeal.id, {}),
        state_form=AppealStateForm(state=appeal.state, paused_notice=appeal.paused_notice),
        export_form=ExportForm(), delete_form=DeleteSignerForm(),
    )


@bp.post("/appeals/<slug>/state")
@coordinator_required
def appeal_state(slug: str):
    appeal = appeal_for(current_user, slug)
    form = AppealStateForm()
    if form.validate_on_submit():
        change_state(appeal, form.state.data, form.paused_notice.data)
        flash(f"The appeal is now {appeal.state}.", "success")
        return redirect(url_for(".appeal_detail", slug=slug), 303)
    return render_template(
        "coordinator/appeal.html", appeal=appeal, signatures=[], before=None, page_size=PAGE_SIZE,
        counts=signature_counts(appeal.id).get(appeal.id, {}), state_form=form,
        export_form=ExportForm(),
        delete_form=DeleteSignerForm(),
    ), 400


@bp.post("/appeals/<slug>/signatures.csv")
@coordinator_required
def export_signatures(slug: str):
    appeal = appeal_for(current_user, slug)
    form = ExportForm()
    if not form.validate_on_submit():
        return redirect(url_for(".appeal_detail", slug=slug), 303)
    # The rows are read while the response streams, after this view returns: under a real
    # server only stream_with_context keeps the request (and app) context for the generator.
    return Response(
        stream_with_context(signatures_csv(appeal.id, include_emails=form.include_emails.data)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{appeal.slug}-signatures.csv"',
                 "Cache-Control": "no-store"},
    )


@bp.get("/outbox")
@coordinator_required
def outbox():
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    if current_user.role != "admin" and current_user.group_id is not None:
        # A group's coordinators see only the messages of their group's appeals.
        query = query.join(Appeal, Appeal.id == OutboxMessage.appeal_id).where(
            Appeal.group_id == current_user.group_id)
    return render_template("coordinator/outbox.html", messages=list(db.session.scalars(query)))


@bp.route("/appeals/<slug>/suspect", methods=["GET", "POST"])
@coordinator_required
def suspect_signatures(slug: str):
    """Signatures stored over the burst limit: release them to double opt-in, or drop them."""
    appeal = appeal_for(current_user, slug)
    rows = suspects(appeal)
    form = SuspectForm()
    form.ids.choices = [SelectChoice(s.id, s.name) for s in rows]
    if form.validate_on_submit():
        ids = None if form.all_suspects.data else form.ids.data
        if form.release.data:
            flash(f"{release_suspects(appeal, ids)} signature(s) released.", "success")
        else:
            flash(f"{drop_suspects(appeal, ids)} signature(s) dropped.", "success")
        return redirect(url_for(".suspect_signatures", slug=slug), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("coordinator/suspect.html", appeal=appeal, signatures=rows,
                           form=form), status


@bp.post("/appeals/<slug>/signatures/<int:signature_id>/delete")
@coordinator_required
def delete_signature(slug: str, signature_id: int):
    """Delete one signer at their request; a confirmed one leaves the count."""
    appeal = appeal_for(current_user, slug)
    if not DeleteSignerForm().validate_on_submit():
        abort(400)
    if not delete_signer(appeal, signature_id):
        abort(404)
    flash("The signer was deleted, with their address in the outbox.", "success")
    return redirect(url_for(".appeal_detail", slug=slug), 303)
