"""Letters sent by the service: per-appeal policy, daily or per-signer batches, e-mail and fax.

A coordinator decides per appeal whether the service e-mails and/or faxes the officials itself.
`run_batches()` (the `flask delivery batch` command, also called by the worker) queues, for each
recipient post, one message a day carrying the signatures confirmed since the last one, or one
message per new signer. Paused and draft appeals queue nothing, and the worker holds what they
already queued.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.delivery.letters import official_letter_pdf, official_letter_text, page_count, signer_letter
from app.directory.resolve import resolve
from app.directory.routing import (
    Channel,
    Purpose,
    Route,
    RouteSummary,
    appeal_recipients,
    route,
    service_channels,
    summarise,
)
from app.extensions import db
from app.languages import resolved
from app.letters.service import appeal_view, letter_language, recipient_view
from app.letters.views import signatory_view
from app.models import (
    Appeal,
    Delivery,
    DeliveryPolicy,
    DeliverySignature,
    Post,
    Signature,
    SignatureRecipient,
    User,
    utcnow,
)
from app.models.enums import AppealState, ContactType, SignatureStatus
from app.outbox import Attachment, queue_email

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
SENDING_STATES = (AppealState.OPEN, AppealState.CLOSED)
BATCHING = ("daily", "per_signer")


class FaxNumberError(ValueError):
    """A fax number that is not in E.164 form (+ and 7 to 15 digits)."""


class FaxGatewayError(ValueError):
    """FAX_GATEWAY is missing or has no {number} placeholder."""


def fax_address(number: str, gateway: str | None) -> str:
    """The e-mail-to-fax address for an E.164 number: `{number}@fax.example.org` -> digits@..."""
    if not gateway or "{number}" not in gateway:
        raise FaxGatewayError("FAX_GATEWAY must be set and contain {number}")
    compact = re.sub(r"[\s\-().]", "", number or "")
    if not E164.match(compact):
        raise FaxNumberError(f"not an E.164 fax number: {number!r}")
    return gateway.replace("{number}", compact[1:])


def mail_domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower()


# --- Policy ----------------------------------------------------------------------------------


def policy_for(appeal: Appeal) -> DeliveryPolicy:
    """The appeal's policy, or an unsaved default that sends nothing."""
    policy = db.session.get(DeliveryPolicy, appeal.id)
    return policy or DeliveryPolicy(appeal_id=appeal.id, send_email=False, send_fax=False,
                                    batching="daily", max_per_domain_per_hour=None)


def save_policy(appeal: Appeal, *, send_email: bool, send_fax: bool, batching: str,
                max_per_domain_per_hour: int | None) -> DeliveryPolicy:
    """Store the coordinator's decision for `appeal`. Commits."""
    if batching not in BATCHING:
        raise ValueError(f"batching must be one of {BATCHING}")
    policy = db.session.get(DeliveryPolicy, appeal.id) or DeliveryPolicy(appeal_id=appeal.id)
    policy.send_email, policy.send_fax, policy.batching = send_email, send_fax, batching
    policy.max_per_domain_per_hour = max_per_domain_per_hour or None
    db.session.add(policy)
    db.session.commit()
    return policy


# --- Targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    channel: str  # "email" or "fax"
    address: str  # where the outbox sends it
    throttle_key: str


def service_route(post: Post, policy: DeliveryPolicy, on: date | None = None) -> Route:
    """The one route of the joint letter to `post` (app.directory.routing, service delivery)."""
    return route(post, Purpose.SERVICE_DELIVERY, on, allowed=service_channels(policy))


def delivery_target(post: Post, policy: DeliveryPolicy, on: date | None = None) -> Target | None:
    """Where the service sends to `post`: its e-mail if allowed, else its fax through the gateway."""
    return target_of(service_route(post, policy, on))


def delivery_summary(appeal: Appeal, on: date | None = None) -> RouteSummary:
    """Where each recipient's letter goes under the appeal's policy (shown before delivery)."""
    policy = policy_for(appeal)
    return summarise(service_route(link.post, policy, on) for link in appeal_recipients(appeal))


def target_of(chosen: Route) -> Target | None:
    """The outbox target of a route taken by e-mail or fax; None for web form, post or nothing."""
    if chosen.channel == Channel.EMAIL:
        return Target("email", chosen.value, mail_domain(chosen.value))
    if chosen.channel == Channel.FAX:
        try:
            address = fax_address(chosen.value, current_app.config["FAX_GATEWAY"])
        except FaxNumberError:
            return None
        # One fax line takes one page at a time: throttle per number, not per gateway.
        return Target("fax", address, address.lower())
    return None


# --- Batches ---------------------------------------------------------------------------------


def new_signatures(appeal: Appeal, post: Post) -> list[Signature]:
    """Confirmed signatures for `post` that no earlier delivery to it has carried, oldest first."""
    carried = exists().where(DeliverySignature.post_id == post.id,
                             DeliverySignature.signature_id == Signature.id)
    return list(db.session.scalars(
        select(Signature)
        .join(SignatureRecipient, SignatureRecipient.signature_id == Signature.id)
        .where(Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.CONFIRMED,
               SignatureRecipient.post_id == post.id, ~carried)
        .order_by(Signature.confirmed_at, Signature.id)
    ))


def _batched_today(appeal: Appeal, post: Post, now: datetime) -> bool:
    start = datetime.combine(now.date(), time.min)
    return bool(db.session.scalar(select(exists().where(
        Delivery.appeal_id == appeal.id, Delivery.post_id == post.id, Delivery.kind == "batch",
        Delivery.created_at >= start))))


@dataclass
class BatchReport:
    """What a delivery run queued, logged or left for the print batch, and what it skipped."""

    queued: int = 0
    summaries: dict[str, RouteSummary] = field(default_factory=dict)  # appeal slug -> routes

    def lines(self) -> list[str]:
        return [f"{slug}: {line}" for slug, summary in self.summaries.items()
                for line in summary.lines()]


def run_batches(*, appeal: Appeal | None = None, now: datetime | None = None) -> int:
    """Queue what is due to officials (see deliver_batches); returns the messages queued."""
    return deliver_batches(appeal=appeal, now=now).queued


def deliver_batches(*, appeal: Appeal | None = None, now: datetime | None = None) -> BatchReport:
    """Queue what is due to officials for every appeal that lets the service send. Commits.

    Each recipient takes its one route (app.directory.routing, service delivery): e-mail and fax
    go to the outbox, a web form gets a "web form" log entry with the text to paste, posts with
    only a postal address are left to the print batch. Each appeal is committed on its own; if
    another worker queued the same signatures at the same moment, this one's appeal is rolled back.
    """
    now = now or utcnow()
    query = (select(DeliveryPolicy).join(Appeal, Appeal.id == DeliveryPolicy.appeal_id)
             .where(or_(DeliveryPolicy.send_email, DeliveryPolicy.send_fax),
                    Appeal.state.in_(SENDING_STATES)))
    if appeal is not None:
        query = query.where(DeliveryPolicy.appeal_id == appeal.id)
    report = BatchReport()
    for policy in list(db.session.scalars(query)):
        target_appeal = db.session.get(Appeal, policy.appeal_id)
        routes = [service_route(link.post, policy, now.date())
                  for link in appeal_recipients(target_appeal)]
        try:
            count = sum(_batch_for_post(target_appeal, chosen, policy, now) for chosen in routes)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        report.queued += count
        report.summaries[target_appeal.slug] = summarise(routes)
    return report


def _batch_for_post(appeal: Appeal, chosen: Route, policy: DeliveryPolicy, now: datetime) -> int:
    post = chosen.post
    if chosen.channel == Channel.WEB:
        return _web_form_entry(appeal, chosen, now)
    target = target_of(chosen)
    if target is None:
        return 0
    signatures = new_signatures(appeal, post)
    if not signatures:
        return 0
    if policy.batching == "per_signer":
        for signature in signatures:
            letter, pdf = signer_letter(signature, post)
            _queue_official(appeal, post, target, policy, kind="signer", subject=letter.subject,
                            text=letter.text, html=letter.html, pdf=pdf, signatures=[signature])
        return len(signatures)
    if _batched_today(appeal, post, now):
        return 0
    total = confirmed_total(appeal, post)
    # The e-mail carrying the letter is in the letter's language, as the letter's own subject.
    language = letter_language(appeal, post)
    letter = appeal_view(appeal, language, count=total)
    recipient = recipient_view(post, chosen.resolution, language)
    context = {"appeal": appeal, "title": letter.title, "salutation": recipient.salutation,
               "signatures": signatures, "total": total,
               "named": [shown for s in signatures if (shown := signatory_view(s, language))],
               "reply_to": _reply_to(appeal)}
    template = BATCH_TEMPLATES[resolved(language, BATCH_TEMPLATES)]
    _queue_official(
        appeal, post, target, policy, kind="batch", subject=" ".join(letter.subject.split()),
        text=render_template(template, **context),
        html=None, pdf=official_letter_pdf(appeal, post, on=now.date()), signatures=signatures,
    )
    return 1


def _web_form_entry(appeal: Appeal, chosen: Route, now: datetime) -> int:
    """A "web form" log entry holding the letter's text for staff to paste (nothing is queued)."""
    signatures = new_signatures(appeal, chosen.post)
    if not signatures or _batched_today(appeal, chosen.post, now):
        return 0
    letter = official_letter_text(appeal, chosen.post, on=now.date())
    delivery = Delivery(
        appeal_id=appeal.id, post_id=chosen.post.id, channel="web_form", kind="batch",
        recipient=(chosen.value or "")[:300], status="to_paste", signature_count=len(signatures),
        note=f"{letter.subject}\n\n{letter.text}",
    )
    db.session.add(delivery)
    db.session.flush()
    db.session.add_all(DeliverySignature(delivery_id=delivery.id, signature_id=s.id,
                                         post_id=chosen.post.id) for s in signatures)
    db.session.flush()
    return 0


def confirmed_total(appeal: Appeal, post: Post) -> int:
    """Every confirmed signature addressed to `post` so far (the running total)."""
    return db.session.scalar(
        select(func.count()).select_from(Signature)
        .join(SignatureRecipient, SignatureRecipient.signature_id == Signature.id)
        .where(Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.CONFIRMED,
               SignatureRecipient.post_id == post.id)
    ) or 0


def _reply_to(appeal: Appeal) -> str | None:
    return appeal.group.email if appeal.group is not None and appeal.group.email else None


def _queue_official(appeal: Appeal, post: Post, target: Target, policy: DeliveryPolicy, *,
                    kind: str, subject: str, text: str, html: str | None, pdf: bytes,
                    signatures: list[Signature]) -> Delivery:
    per_hour = (policy.max_per_domain_per_hour
                or current_app.config["DELIVERY_MAX_PER_DOMAIN_PER_HOUR"])
    message = queue_email(
        kind=f"delivery_{target.channel}", to=target.address, subject=subject, body_text=text,
        body_html=html, appeal_id=appeal.id,
        attachments=[Attachment(f"{appeal.slug}-{post.slug}.pdf", "application/pdf", pdf)],
        reply_to=_reply_to(appeal), throttle_key=target.throttle_key, throttle_per_hour=per_hour,
    )
    delivery = Delivery(
        appeal_id=appeal.id, post_id=post.id, channel=target.channel, kind=kind,
        recipient=target.address, status="queued", outbox_message=message,
        signature_count=len(signatures), pages=page_count(pdf),
    )
    db.session.add(delivery)
    db.session.flush()
    db.session.add_all(DeliverySignature(delivery_id=delivery.id, signature_id=s.id, post_id=post.id)
                       for s in signatures)
    db.session.flush()
    return delivery


# --- The log ---------------------------------------------------------------------------------

# The cover e-mail of a daily batch, per language it exists in (others fall back, app/languages).
BATCH_TEMPLATES = {"en": "email/delivery_batch.txt", "ru": "email/delivery_batch.ru.txt"}
HAND_CHANNELS = {
    "post": _l("Post (registered mail)"),
    "fax_by_hand": _l("Fax sent by staff"),
    "hand_delivered": _l("Delivered by hand"),
    "email_by_hand": _l("E-mail sent by staff"),
    "web_form": _l("Web form (text pasted by staff)"),
}
# A delivery's status (Delivery.status) as the delivery log says it.
DELIVERY_STATUSES = {
    "queued": _l("queued"), "sent": _l("sent"), "failed": _l("failed"), "bounced": _l("bounced"),
    "to_paste": _l("to paste"),
}


def record_hand_delivery(appeal: Appeal, post: Post, user: User, *, channel: str, sent_on: date,
                         tracking_number: str | None, pages: int | None, note: str) -> Delivery:
    """Log a letter that staff posted, faxed or delivered themselves. Commits."""
    if channel not in HAND_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    delivery = Delivery(
        appeal_id=appeal.id, post_id=post.id, channel=channel, kind="manual", status="sent",
        sent_by_user_id=user.id, sent_on=sent_on, tracking_number=tracking_number or None,
        pages=pages, note=note or "", sent_at=utcnow(),
        recipient=_hand_recipient(post, channel, sent_on),
    )
    db.session.add(delivery)
    db.session.commit()
    return delivery


def _hand_recipient(post: Post, channel: str, on: date) -> str:
    wanted = {"post": ContactType.ADDRESS, "fax_by_hand": ContactType.FAX,
              "email_by_hand": ContactType.EMAIL, "web_form": ContactType.WEB}.get(channel)
    if wanted is None:
        return ""
    contact = resolve(post, on, wanted).first(wanted)
    return (contact.value if contact else "")[:300]


def mark_bounced(delivery: Delivery) -> None:
    """An official's server sent the letter back. Commits."""
    delivery.status = "bounced"
    db.session.commit()


def delivery_log(appeal: Appeal) -> list[tuple[Post, list[Delivery]]]:
    """Every delivery of `appeal`, grouped by post in the appeal's order, newest first."""
    rows = list(db.session.scalars(
        select(Delivery).where(Delivery.appeal_id == appeal.id)
        .order_by(Delivery.created_at.desc(), Delivery.id.desc())
    ))
    posts = [link.post for link in appeal_recipients(appeal)]
    for row in rows:
        if row.post not in posts:
            posts.append(row.post)
    return [(post, [row for row in rows if row.post_id == post.id]) for post in posts]
