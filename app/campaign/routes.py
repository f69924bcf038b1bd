"""A coordinator runs an appeal's campaign: deadline, pause, resume, close with the outcome
(forms on the appeal's page, app/templates/campaign/_lifecycle.html), and case updates to
supporters (compose, preview in each language, send)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.appeals import lifecycle
from app.appeals.localized import outcome_label
from app.auth.access import appeal_for, coordinator_required
from app.campaign.forms import CloseForm, DeadlineForm, PauseForm, ResumeForm, update_form
from app.delivery.updates import (
    UpdateRefused,
    count_update_recipients,
    preview_update,
    send_update,
    sent_updates,
    updates_left,
)
from app.models import Appeal
from app.models.enums import AppealState

bp = Blueprint("campaign", __name__, url_prefix="/coordinator/appeals/<slug>")


@bp.app_template_global()
def lifecycle_forms(appeal: Appeal, **failed) -> dict:  # noqa: ANN003
    """The lifecycle forms of the appeal's page, filled in; `failed` replaces one that failed."""
    forms = {"deadline": DeadlineForm(write_before=appeal.write_before, formdata=None),
             "pause": PauseForm(notice=appeal.paused_notice, formdata=None),
             "resume": ResumeForm(formdata=None),
             "close": CloseForm(outcome=appeal.outcome or "", formdata=None)}
    return {**forms, **failed}


def _refused(appeal: Appeal, **failed):  # noqa: ANN003, ANN202
    """The lifecycle panel again, with the failed form's errors beside its fields."""
    return render_template("campaign/lifecycle.html", appeal=appeal,
                           forms=lifecycle_forms(appeal, **failed)), 400


def _done(appeal: Appeal, message: str):  # noqa: ANN202
    flash(message, "success")
    return redirect(url_for("coordinator.appeal_detail", slug=appeal.slug, _anchor="lifecycle"), 303)


@bp.post("/deadline")
@coordinator_required
def deadline(slug: str):
    appeal = appeal_for(current_user, slug)
    form = DeadlineForm()
    if not form.validate_on_submit():
        return _refused(appeal, deadline=form)
    lifecycle.set_deadline(appeal, form.write_before.data)
    return _done(appeal, _("Deadline saved.") if appeal.write_before else _("Deadline removed."))


@bp.post("/pause")
@coordinator_required
def pause(slug: str):
    appeal = appeal_for(current_user, slug)
    form = PauseForm()
    if appeal.state not in (AppealState.OPEN, AppealState.PAUSED):
        form.notice.errors = [_("Only an open appeal can be paused.")]
    elif form.validate_on_submit():
        lifecycle.pause(appeal, form.notice.data)
        return _done(appeal, _("The appeal is paused; its page shows your notice."))
    return _refused(appeal, pause=form)


@bp.post("/resume")
@coordinator_required
def resume(slug: str):
    appeal = appeal_for(current_user, slug)
    form = ResumeForm()
    if not form.validate_on_submit() or appeal.state != AppealState.PAUSED:
        return _refused(appeal, resume=form)
    lifecycle.resume(appeal)
    return _done(appeal, _("The appeal is open again."))


@bp.post("/close")
@coordinator_required
def close(slug: str):
    appeal = appeal_for(current_user, slug)
    form = CloseForm()
    if appeal.state == AppealState.DRAFT:  # closing would publish it
        form.outcome.errors = [_("A draft is not published: there is nothing to close.")]
        return _refused(appeal, close=form)
    if not form.validate_on_submit():
        return _refused(appeal, close=form)
    lifecycle.close(appeal, form.outcome.data)
    return _done(appeal, _("The appeal is closed. Outcome: %(outcome)s.",
                           outcome=outcome_label(appeal.outcome)))


def _updates_page(appeal: Appeal, form, status: int = 200, **extra):  # noqa: ANN001, ANN003, ANN202
    return render_template(
        "campaign/updates.html", appeal=appeal, form=form, left=updates_left(appeal),
        recipients=count_update_recipients(appeal), history=sent_updates(appeal), **extra), status


def _sent_message(appeal: Appeal, recipients: int) -> str:
    message = ngettext("The update is on the timeline and queued for %(num)d supporter.",
                       "The update is on the timeline and queued for %(num)d supporters.",
                       recipients)
    if appeal.state in (AppealState.PAUSED, AppealState.DRAFT):
        message += " " + _("The appeal is not open: the e-mails wait in the outbox until it opens again.")
    return message


@bp.route("/updates", methods=["GET", "POST"])
@coordinator_required
def updates(slug: str):
    """Write an update, preview it in every language of the appeal, send it to supporters."""
    appeal = appeal_for(current_user, slug)
    form = update_form(appeal)
    if not form.validate_on_submit():
        return _updates_page(appeal, form, 400 if form.is_submitted() else 200)
    previews = preview_update(appeal, form.texts())
    private_key = form.private_key(appeal.group) if form.send.data else None  # this request only
    if private_key is None:
        return _updates_page(appeal, form, 400 if form.send.data else 200, previews=previews)
    try:
        update = send_update(appeal, form.texts(), private_key, author_id=current_user.id)
    except UpdateRefused as refusal:
        return _updates_page(appeal, form, 409, refusal=str(refusal))
    flash(_sent_message(appeal, update.recipients), "success")
    return redirect(url_for(".updates", slug=slug), 303)

