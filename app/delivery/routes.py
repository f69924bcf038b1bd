"""Delivery log, replies and timeline (coordinators), and the supporter's own channels (public)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.appeals.queries import public_appeal
from app.coordinator.access import appeal_for, coordinator_required
from app.delivery import service
from app.delivery.channels import channels_for, printable, signer_from_token
from app.delivery.forms import (
    NO_POST,
    ButtonForm,
    EventForm,
    HandDeliveryForm,
    PolicyForm,
    ReplyForm,
)
from app.delivery.letters import supporter_letter_pdf
from app.delivery.replies import (
    download_name,
    human_size,
    record_reply,
    replies_of,
    reply_to_event,
    scan_file,
)
from app.delivery.timeline import EventInput, add_event, unsubscribe
from app.directory.routing import appeal_recipients
from app.extensions import db, limiter
from app.logging_setup import carries_secret
from app.models import Appeal, Delivery, OfficialReply, Post
from app.tokens import TokenError

bp = Blueprint("delivery", __name__, url_prefix="/coordinator/delivery")
public_bp = Blueprint("channels", __name__)


# --- Public: the supporter's own channels ----------------------------------------------------


def _public(slug: str) -> Appeal:
    appeal = public_appeal(slug) if len(slug) <= 80 else None
    if appeal is None:
        abort(404)
    return appeal


def _appeal_post(appeal: Appeal, post_id: int | None) -> Post | None:
    return next((link.post for link in appeal_recipients(appeal) if link.post_id == post_id), None)


@public_bp.get("/a/<slug>/write")
@carries_secret
def write(slug: str):
    """Pick an official, then send the letter from your own mailbox, on paper or by web form."""
    appeal = _public(slug)
    token = request.args.get("s") or None
    signer = signer_from_token(token, appeal)
    posts = [link.post for link in appeal_recipients(appeal)]
    chosen = None
    if appeal.letters_allowed:
        post = _appeal_post(appeal, request.args.get("to", type=int))
        post = post or (posts[0] if len(posts) == 1 else None)
        if post is not None:
            full_text = current_app.config["BASE_URL"] + url_for(".write", slug=slug, to=post.id)
            chosen = channels_for(appeal, post, signer=signer, full_text_url=full_text)
    response = make_response(render_template(
        "delivery/write.html", appeal=appeal, posts=posts, chosen=chosen, signer=signer,
        token=token if signer else None))
    if signer is not None:  # the page carries the signer's name
        response.headers["Cache-Control"] = "private, no-store"
    return response


def _pdf_limit() -> str:
    return current_app.config.get("RATELIMIT_LETTER_PDF", "30 per minute")


@public_bp.get("/a/<slug>/write/<int:post_id>/letter.pdf")
@carries_secret
@limiter.limit(_pdf_limit)
def letter_pdf(slug: str, post_id: int):
    """The supporter's letter as a PDF: generic, or the confirmed signer's own."""
    appeal = _public(slug)
    post = _appeal_post(appeal, post_id)
    if post is None:
        abort(404)
    if not appeal.letters_allowed:
        return render_template("errors.html", title="Writing is paused",
                               message="No letters are offered for this appeal now."), 409
    if not printable(post):  # a web-form-only office gets no letter to print and post
        abort(404)
    signer = signer_from_token(request.args.get("s"), appeal)
    pdf = supporter_letter_pdf(appeal, post, signer)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="letter-{appeal.slug}-{post.slug}.pdf"')
    response.headers["Cache-Control"] = "private, no-store" if signer else "public, max-age=600"
    return response


@public_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@carries_secret
def unsubscribe_page(token: str):
    """Stop update e-mails; a GET only shows the button (mail scanners follow links)."""
    form = ButtonForm()
    if request.method == "GET":
        return render_template("delivery/unsubscribe.html", form=form, token=token)
    if not form.validate():
        return render_template("delivery/unsubscribe.html", form=form, token=token), 400
    try:
        signature = unsubscribe(token)
    except TokenError as error:
        return render_template("delivery/unsubscribed.html", failed=error.reason), 410
    return render_template("delivery/unsubscribed.html", failed=None, appeal=signature.appeal)


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
        button=ButtonForm(), hand_channels=service.HAND_CHANNELS,
        routes=service.delivery_summary(appeal),
        upload_limit=human_size(current_app.config["UPLOAD_MAX_BYTES"]), **forms,
    ), status


def _back(appeal: Appeal, anchor: str = ""):
    return redirect(url_for(".log", slug=appeal.slug) + anchor, 303)


@bp.get("/<slug>")
@coordinator_required
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
@coordinator_required
def hand(slug: str):
    appeal = appeal_for(current_user, slug)
    form = HandDeliveryForm()
    form.post_id.choices = _post_choices(appeal)
    if not form.validate():
        return _page(appeal, 400, hand_form=form)
    service.record_hand_delivery(
        appeal, db.session.get(Post, form.post_id.data), current_user, channel=form.channel.data,
        sent_on=form.sent_on.data, tracking_number=form.tracking_number.data,
        pages=form.pages.data, note=form.note.data or "",
    )
    flash(_("Recorded."), "success")
    return _back(appeal, "#log")


@bp.post("/<slug>/deliveries/<int:delivery_id>/bounced")
@coordinator_required
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
@coordinator_required
def reply(slug: str):
    appeal = appeal_for(current_user, slug)
    form = ReplyForm()
    form.post_id.choices = _post_choices(appeal, unknown=True)
    if not form.validate():
        return _page(appeal, 400, reply_form=form)
    record_reply(appeal, current_user, post=_appeal_post(appeal, form.post_id.data),
                 received_on=form.received_on.data, summary=form.summary.data,
                 scan=form.scan_result)
    flash(_("Reply recorded."), "success")
    return _back(appeal, "#replies")


def _reply(appeal: Appeal, reply_id: int) -> OfficialReply:
    found = db.session.scalar(select(OfficialReply).where(
        OfficialReply.id == reply_id, OfficialReply.appeal_id == appeal.id))
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
    _, queued = add_event(appeal, data, notify=form.notify.data)
    if form.notify.data and data.public and not appeal.letters_allowed:
        flash(_("Event added. The appeal is paused or a draft, so no one was e-mailed."), "success")
    else:
        flash(ngettext("Event added. %(num)d update e-mail queued.",
                       "Event added. %(num)d update e-mails queued.", queued), "success")
    return _back(appeal, "#timeline")
