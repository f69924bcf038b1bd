"""Who we write to and through which channel: the one answer every page, batch and export uses.

`route(post, purpose, on_date)` says who holds the post on the date, which channel a letter for
`purpose` takes, to which contact detail, and, for every better channel that was passed over,
why not. `appeal_recipients(appeal)` is the one recipient list of an appeal, in the one order.

Order of preference per purpose (first channel the post has and the caller may use wins):

- supporter letter (a supporter sends it themselves): e-mail, web form, post, fax. E-mail
  from the supporter's own mailbox reaches the official the same day; a web form needs the text
  pasted; a printed letter needs a stamp; few supporters own a fax.
- service delivery (the service sends the joint letter): e-mail, fax, then the channels the
  service cannot use itself: web form (text to paste, logged as "web form"), post (print batch).
- print batch (the office prints and posts): post, then fax sent by staff with a cover sheet.
  A post reachable only by e-mail or web form is not printed: it is skipped with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.directory.resolve import Resolution, describe_flag, resolve, stale_months_setting
from app.models import Appeal, AppealRecipient, ContactDetail, Person, Post
from app.models.enums import ContactType


class Purpose(StrEnum):
    SUPPORTER_LETTER = "supporter_letter"
    SERVICE_DELIVERY = "service_delivery"
    PRINT_BATCH = "print_batch"


class Channel(StrEnum):
    EMAIL = "email"
    FAX = "fax"
    POST = "post"
    WEB = "web"


# A channel as a word in the page language (the letters page: "By post: …").
CHANNEL_WORDS = {Channel.EMAIL: _l("email"), Channel.FAX: _l("fax"), Channel.POST: _l("post"),
                 Channel.WEB: _l("web")}

PREFERENCE: dict[Purpose, tuple[Channel, ...]] = {
    Purpose.SUPPORTER_LETTER: (Channel.EMAIL, Channel.WEB, Channel.POST, Channel.FAX),
    Purpose.SERVICE_DELIVERY: (Channel.EMAIL, Channel.FAX, Channel.WEB, Channel.POST),
    Purpose.PRINT_BATCH: (Channel.POST, Channel.FAX),
}
# The contact detail type each channel needs.
CONTACT_OF: dict[Channel, str] = {
    Channel.EMAIL: ContactType.EMAIL, Channel.FAX: ContactType.FAX,
    Channel.POST: ContactType.ADDRESS, Channel.WEB: ContactType.WEB,
}
# Why a post gets no letter on a purpose's channels, as a coordinator reads it.
REASONS = {
    "no-contact": "no contact detail at all",
    "web-form-only": "reachable only through a web form: paste the text there",
    "email-only": "reachable only by e-mail: the letter goes to the outbox, not the print batch",
    "no-usable-channel": "none of its contact details can be used for this",
    "outbox-email": "the service sends it by e-mail (outbox)",
    "outbox-fax": "the service sends it by fax (outbox)",
}


class HolderKind(StrEnum):
    PERSON = "person"  # a named holder on the date
    COLLECTIVE = "collective"  # a body addressed as such
    VACANT = "vacant"  # no holder recorded on the date: write to the office


@dataclass(frozen=True)
class Route:
    """Where a letter for one purpose to one post goes, or why it goes nowhere."""

    post: Post
    purpose: Purpose
    on: date
    resolution: Resolution
    channel: Channel | None
    contact: ContactDetail | None
    reason: str | None = None  # a key of REASONS when channel is None
    passed_over: tuple[tuple[Channel, str], ...] = field(default=())  # (channel, why not)

    @property
    def holder(self) -> Person | None:
        return self.resolution.holder

    @property
    def holder_kind(self) -> HolderKind:
        if self.holder is not None:
            return HolderKind.PERSON
        return HolderKind.COLLECTIVE if self.post.collective else HolderKind.VACANT

    @property
    def to_office(self) -> bool:
        """No named person: the letter is addressed to the office, with a neutral salutation."""
        return self.holder_kind != HolderKind.PERSON

    @property
    def value(self) -> str | None:
        return self.contact.value if self.contact is not None else None

    @property
    def address(self) -> ContactDetail | None:
        """The postal address when the post has one (whatever the channel)."""
        return self.resolution.first(ContactType.ADDRESS)

    @property
    def why_not(self) -> str | None:
        return REASONS.get(self.reason or "", self.reason)

    def first(self, channel: Channel) -> ContactDetail | None:
        return self.resolution.first(CONTACT_OF[channel])


def route(post: Post, purpose: Purpose | str, on_date: date | None = None, *,
          allowed: Iterable[str] | None = None, stale_months: int | None = None) -> Route:
    """The route of a letter for `purpose` to `post` on `on_date` (today by default).

    `allowed` narrows the channels the caller may use (the appeal's delivery policy: e-mail
    and/or fax); channels outside it are passed over with the reason "not allowed".
    """
    purpose = Purpose(purpose)
    resolution = resolve(post, on=on_date, stale_months=stale_months)
    allowed_set = set(PREFERENCE[purpose]) if allowed is None else {Channel(c) for c in allowed}
    passed: list[tuple[Channel, str]] = []
    for channel in PREFERENCE[purpose]:
        contact = resolution.first(CONTACT_OF[channel])
        if contact is None:
            passed.append((channel, f"no {CONTACT_OF[channel]} detail"))
        elif channel not in allowed_set:
            passed.append((channel, "not allowed for this appeal"))
        else:
            return Route(post, purpose, resolution.on, resolution, channel, contact, None,
                         tuple(passed))
    return Route(post, purpose, resolution.on, resolution, None, None,
                 _reason(resolution), tuple(passed))


def service_channels(policy) -> set[str]:  # noqa: ANN001 - a DeliveryPolicy or None
    """The channels the service itself may use for an appeal (its policy and the fax gateway)."""
    allowed = {Channel.WEB, Channel.POST}  # never sent by the service: logged or printed
    if policy is not None and policy.send_email:
        allowed.add(Channel.EMAIL)
    if policy is not None and policy.send_fax and current_app.config.get("FAX_GATEWAY"):
        allowed.add(Channel.FAX)
    return allowed


def print_route(post: Post, on_date: date | None = None, *,
                allowed_service: Iterable[str] = ()) -> Route:
    """The print batch's route; skipped (channel None) when the service sends it itself, so a
    post never gets the same letter twice."""
    if set(allowed_service) & {Channel.EMAIL, Channel.FAX}:
        sent = route(post, Purpose.SERVICE_DELIVERY, on_date, allowed=allowed_service)
        if sent.channel in (Channel.EMAIL, Channel.FAX):
            return replace(sent, purpose=Purpose.PRINT_BATCH, channel=None, contact=None,
                           reason=f"outbox-{sent.channel.value}")
    return route(post, Purpose.PRINT_BATCH, on_date)


def _reason(resolution: Resolution) -> str:
    kinds = {contact.type for contact in resolution.contacts}
    if not kinds:
        return "no-contact"
    if kinds <= {ContactType.WEB, ContactType.PHONE}:
        return "web-form-only" if ContactType.WEB in kinds else "no-usable-channel"
    if kinds <= {ContactType.EMAIL, ContactType.WEB, ContactType.PHONE}:
        return "email-only"
    return "no-usable-channel"


def appeal_recipients(appeal: Appeal) -> list[AppealRecipient]:
    """The posts an appeal writes to: To first, then Cc, each in the coordinator's order."""
    return sorted(appeal.recipients, key=lambda r: (r.role != "to", r.position, r.id or 0))


def recipient_post(appeal: Appeal, post_id: int | None) -> Post | None:
    """The post `post_id` if `appeal` writes to it, else None (an id from a form or a URL)."""
    return next((link.post for link in appeal_recipients(appeal) if link.post_id == post_id), None)


def appeal_routes(appeal: Appeal, purpose: Purpose | str, on_date: date | None = None, *,
                  allowed: Iterable[str] | None = None) -> list[tuple[AppealRecipient, Route]]:
    """Every recipient of `appeal` with its route for `purpose`, in recipient order."""
    return [(link, route(link.post, purpose, on_date, allowed=allowed))
            for link in appeal_recipients(appeal)]


@dataclass
class RouteSummary:
    """What went where and what was skipped, and why: for batches, pages and the CLI."""

    by_channel: dict[str, list[str]] = field(default_factory=dict)  # channel -> post labels
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (post label, why)
    to_office: list[str] = field(default_factory=list)  # posts written to without a named holder

    def lines(self) -> list[str]:
        out = [f"{channel}: {len(labels)} ({', '.join(labels)})"
               for channel, labels in self.by_channel.items()]
        out += [f"skipped {label}: {why}" for label, why in self.skipped]
        out += [f"warning {label}: no named holder, addressed to the office" for label in
                self.to_office]
        return out


def summarise(routes: Iterable[Route], *, taken: Iterable[str] | None = None) -> RouteSummary:
    """Group routes by channel; routes outside `taken` (or without a channel) are skipped."""
    wanted = None if taken is None else set(taken)
    summary = RouteSummary()
    for item in routes:
        label = item.post.label
        if item.to_office:
            summary.to_office.append(label)
        if item.channel is None:
            summary.skipped.append((label, item.why_not or "no channel"))
        elif wanted is not None and item.channel not in wanted:
            summary.skipped.append((label, f"goes by {item.channel.value}, not here"))
        else:
            summary.by_channel.setdefault(item.channel.value, []).append(label)
    return summary


@dataclass
class PostWarning:
    """One thing a coordinator should look at before sending to a post."""

    post: Post
    flag: str
    message: str

    def __str__(self) -> str:
        return f"{self.post.label}: {self.message}"


def appeal_warnings(appeal: Appeal, on: date | None = None,
                    stale_months: int | None = None) -> list[PostWarning]:
    """Every flag of every post `appeal` writes to, in recipient order, ready to show."""
    stale_months = stale_months if stale_months is not None else stale_months_setting()
    warnings = []
    for recipient in appeal_recipients(appeal):
        resolution = resolve(recipient.post, on=on, stale_months=stale_months)
        for flag in resolution.flags:
            warnings.append(PostWarning(recipient.post, flag,
                                        describe_flag(resolution, flag, stale_months)))
    return warnings
