"""The coordinator's delivery log, replies and timeline (supporters' own letters: app/public/letters.py)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.auth.access import appeal_for, coordinator_required, office_required
from app.delivery import service
from app.delivery.forms import (
    NO_POST,
    ButtonForm,
    EventForm,
    HandDeliveryForm,
    PolicyForm,
    ReplyForm,
)
from app.delivery.replies import (
    download_name,
    human_size,
    record_reply,
    replies_of,
    reply_of,
    reply_to_event,
    scan_file,
)
from app.delivery.timeline import EventInput, add_event
from app.directory.routing import CHANNEL_WORDS, appeal_recipients, recipient_post
from app.extensions import db
from app.models import Appeal, Delivery, OfficialReply

bp = Blueprint("delivery", __name__, url_prefix="/coordinator/delivery")


# --- Coordinators: the delivery log, replies and timeline -------------------------------------


def _post_choices(appeal: Appeal, *, unknown: bool = False) -> list[SelectChoice]:
    choices = [SelectChoice(link.post_id, link.post.label) for link in appeal_recipients(appeal)]
    return ([SelectChoice(NO_POST, _l("(not known)"))] if unknown else []) + choices


def _page(appeal: Appeal, status: int = 200, **forms):
    policy = service.policy_for(appeal)
    forms.setdefault("policy_form", PolicyForm(obj=policy, formdata=None))
    forms.setdefault("hand_form", HandDeliveryForm(formdata=None))
    forms.setdefault("reply_form", ReplyForm(formdata=None))
    forms.setdefault("event_form", EventForm(formdata=None))
    forms["hand_form"].post_id.choices = _post_choices(appeal)
    forms["reply_form"].post_id.choices = _post_choices(appeal, unknown=True)
    return render_template(
        "delivery/log.html", appeal=appeal, policy=policy, log=service.delivery_log(appeal),
        replies=replies_of(appeal), events=sorted(appeal.events, key=lambda e: (e.date, e.id)),
        button=ButtonForm(), hand_channels=service.HAND_CHANNELS, delivery_statuses=service.DELIVERY_STATUSES,
        channel_words=CHANNEL_WORDS,
        routes=service.delivery_summary(appeal),
        upload_limit=human_size(current_app.config["UPLOAD_MAX_BYTES"]), **forms,
    ), status


def _back(appeal: Appeal, anchor: str = ""):
    return redirect(url_for(".log", slug=appeal.slug) + anchor, 303)


@bp.get("/<slug>")
@office_required
def log(slug: str):
    return _page(appeal_for(current_user, slug))


@bp.post("/<slug>/policy")
@coordinator_required
def policy(slug: str):
    appeal = appeal_for(current_user, slug)
    form = PolicyForm()
    if not form.validate():
        return _page(appeal, 400, policy_form=form)
    service.save_policy(appeal, send_email=form.send_email.data, send_fax=form.send_fax.data,
                        batching=form.batching.data,
                        max_per_domain_per_hour=form.max_per_domain_per_hour.data)
    flash(_("Delivery settings saved."), "success")
    return _back(appeal, "#policy")


@bp.post("/<slug>/batch")
@coordinator_required
def batch(slug: str):
    appeal = appeal_for(current_user, slug)
    if not ButtonForm().validate():
        abort(400)
    if not appeal.letters_allowed:
        flash(_("The appeal is paused or a draft: nothing is queued."), "error")
        return _back(appeal)
    report = service.deliver_batches(appeal=appeal)
    flash(" ".join([ngettext("%(num)d message queued for the officials.",
                             "%(num)d messages queued for the officials.", report.queued),
                    *report.lines()]), "success")
    return _back(appeal)


@bp.post("/<slug>/hand")
@office_required
def hand(slug: str):
    appeal = appeal_for(current_user, slug)
    form = HandDeliveryForm()
    form.post_id.choices = _post_choices(appeal)
    if not form.validate():
        return _page(appeal, 400, hand_form=form)
    service.record_hand_delivery(
        appeal, recipient_post(appeal, form.post_id.data), current_user, channel=form.channel.data,
        sent_on=form.sent_on.data, tracking_number=form.tracking_number.data,
        pages=form.pages.data, note=form.note.data or "",
    )
    flash(_("Recorded."), "success")
    return _back(appeal, "#log")


@bp.post("/<slug>/deliveries/<int:delivery_id>/bounced")
@office_required
def bounced(slug: str, delivery_id: int):
    appeal = appeal_for(current_user, slug)
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.appeal_id != appeal.id:
        abort(404)
    if not ButtonForm().validate():
        abort(400)
    service.mark_bounced(delivery)
    return _back(appeal, "#log")


@bp.post("/<slug>/replies")
@office_required
def reply(slug: str):
    appeal = appeal_for(current_user, slug)
    form = ReplyForm()
    form.post_id.choices = _post_choices(appeal, unknown=True)
    if not form.validate():
        return _page(appeal, 400, reply_form=form)
    record_reply(appeal, current_user, post=recipient_post(appeal, form.post_id.data),
                 received_on=form.received_on.data, summary=form.summary.data,
                 scan=form.scan_result)
    flash(_("Reply recorded."), "success")
    return _back(appeal, "#replies")


def _reply(appeal: Appeal, reply_id: int) -> OfficialReply:
    found = reply_of(appeal, reply_id)
    if found is None:
        abort(404)
    return found


@bp.get("/<slug>/replies/<int:reply_id>/scan")
@coordinator_required
def reply_scan(slug: str, reply_id: int):
    found = _reply(appeal_for(current_user, slug), reply_id)
    path = scan_file(found)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=found.scan_content_type, as_attachment=True,
                         download_name=download_name(found), max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<slug>/replies/<int:reply_id>/event")
@coordinator_required
def reply_event(slug: str, reply_id: int):
    appeal = appeal_for(current_user, slug)
    found = _reply(appeal, reply_id)
    if not ButtonForm().validate():
        abort(400)
    reply_to_event(found)
    flash(_("The reply is on the timeline."), "success")
    return _back(appeal, "#timeline")


@bp.post("/<slug>/events")
@coordinator_required
def event(slug: str):
    appeal = appeal_for(current_user, slug)
    form = EventForm()
    if not form.validate():
        return _page(appeal, 400, event_form=form)
    data = EventInput(date=form.date.data, kind=form.kind.data, title=form.title.data,
                      court=form.court.data, description=form.description.data or "",
                      public=form.public.data)
    notify = form.notify.data and data.public
    private_key = form.private_key(appeal.group) if notify else None  # dropped with the request
    if notify and private_key is None:
        return _page(appeal, 400, event_form=form)
    _, queued = add_event(appeal, data, notify=form.notify.data, private_key=private_key)
    if form.notify.data and data.public and not appeal.letters_allowed:
        flash(_("Event added. The appeal is paused or a draft, so no one was e-mailed."), "success")
    else:
        flash(ngettext("Event added. %(num)d update e-mail queued.",
                       "Event added. %(num)d update e-mails queued.", queued), "success")
    return _back(appeal, "#timeline")
