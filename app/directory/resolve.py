"""Who holds a post on a date, and how to reach them: the one function letters and delivery use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, has_app_context
from flask_babel import gettext as _

from app.directory.contacts import CONTACT_TYPE_WORDS
from app.models import ContactDetail, Membership, Person, Post

DEFAULT_STALE_MONTHS = 12


@dataclass
class Resolution:
    post: Post
    on: date
    holder: Person | None
    membership: Membership | None
    contacts: list[ContactDetail] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def vacant(self) -> bool:
        """No one holds the post on the date (collective bodies are never vacant)."""
        return self.holder is None and not self.post.collective

    def first(self, channel: str) -> ContactDetail | None:
        return next((c for c in self.contacts if c.type == channel), None)

    @property
    def salutation(self) -> str:
        return self.post.salutation or "Dear Sir or Madam"

    @property
    def addressee(self) -> str:
        """The holder's name with honorific ("Mr Kassym-Jomart Tokayev"), else the post's label."""
        if self.holder is None:
            return self.post.label
        prefix = f"{self.holder.honorific_prefix} " if self.holder.honorific_prefix else ""
        return f"{prefix}{self.holder.name}"


def stale_months_setting() -> int:
    """DIRECTORY_STALE_MONTHS from the app config (12 outside an app)."""
    if has_app_context():
        return int(current_app.config.get("DIRECTORY_STALE_MONTHS", DEFAULT_STALE_MONTHS))
    return DEFAULT_STALE_MONTHS


def holder_on(post: Post, on: date) -> Membership | None:
    """The membership covering `on` (start and end dates inclusive); the latest start wins."""
    covering = [
        m for m in post.memberships
        if (m.start_date is None or m.start_date <= on) and (m.end_date is None or on <= m.end_date)
    ]
    covering.sort(key=lambda m: m.start_date or date.min)
    return covering[-1] if covering else None


@dataclass(frozen=True)
class Holding:
    """A post and who holds it: what a page naming the recipients shows (no contact details)."""

    post: Post
    holder: Person | None


def holding(post: Post, on: date | None = None) -> Holding:
    """Who holds `post` on `on` (today by default), without reading contact details as
    `resolve` does: the public pages name the recipients and never show how to reach them."""
    membership = holder_on(post, on or date.today())
    return Holding(post, membership.person if membership else None)


def contacts_of(post: Post) -> list[ContactDetail]:
    """The post's own details first, then its organisation's, then the parents' (nearest first)."""
    contacts = list(post.contacts)
    organization, seen = post.organization, set()
    while organization is not None and organization.id not in seen:
        seen.add(organization.id)
        contacts.extend(organization.contacts)
        organization = organization.parent
    return contacts


def resolve(post: Post, on: date | None = None, channel: str | None = None,
            stale_months: int | None = None) -> Resolution:
    """Holder of `post` on `on` (today by default) and its contact details, with warning flags.

    Post-level details come first, then the organisation's (and its parents'). Flags:
    "vacant" when no one holds the post (never for a collective body), "stale:<type>" for a
    detail not verified within `stale_months` (DIRECTORY_STALE_MONTHS, default 12),
    "no-channel:<channel>" when the asked-for channel is missing, "no-contact" when there is
    no detail at all.
    """
    on = on or date.today()
    stale_months = stale_months if stale_months is not None else stale_months_setting()
    membership = holder_on(post, on)
    contacts = contacts_of(post)
    if channel is not None:
        contacts = [c for c in contacts if c.type == channel]
    flags = [] if membership or post.collective else ["vacant"]
    for contact in contacts:
        flag = f"stale:{contact.type}"
        if is_stale(contact, on, stale_months) and flag not in flags:
            flags.append(flag)
    if channel is not None and not contacts:
        flags.append(f"no-channel:{channel}")
    elif channel is None and not contacts:
        flags.append("no-contact")
    return Resolution(post=post, on=on, holder=membership.person if membership else None,
                      membership=membership, contacts=contacts, flags=flags)


def is_stale(contact: ContactDetail, on: date, stale_months: int) -> bool:
    """Never verified, or verified more than `stale_months` before `on`."""
    if contact.last_verified is None:
        return True
    months = (on.year - contact.last_verified.year) * 12 + on.month - contact.last_verified.month
    if on.day < contact.last_verified.day:
        months -= 1
    return months >= stale_months


def _kind(flag: str) -> str:
    kind = flag.split(":", 1)[1]
    return str(CONTACT_TYPE_WORDS.get(kind, kind))


def flag_label(flag: str) -> str:
    """A flag as a short badge in the page language ("unverified: fax")."""
    if flag == "vacant":
        return _("vacant")
    if flag == "no-contact":
        return _("no contact detail")
    if flag.startswith("no-channel:"):
        return _("missing: %(kind)s", kind=_kind(flag))
    if flag.startswith("stale:"):
        return _("unverified: %(kind)s", kind=_kind(flag))
    return flag


def describe_flag(resolution: Resolution, flag: str, stale_months: int) -> str:
    """A sentence for a coordinator explaining `flag`, in the page language."""
    if flag == "vacant":
        return _("no holder is recorded on %(day)s: check who holds the post", day=resolution.on.isoformat())
    if flag == "no-contact":
        return _("no contact detail at all")
    if flag.startswith("no-channel:"):
        return _("no %(kind)s contact", kind=_kind(flag))
    if flag.startswith("stale:"):
        kind = flag.split(":", 1)[1]
        dates = sorted({c.last_verified for c in resolution.contacts
                        if c.type == kind and is_stale(c, resolution.on, stale_months)},
                       key=lambda d: d or date.min)
        if dates and dates[0] is None:
            return _("%(kind)s detail never verified (older than %(months)d months)",
                     kind=_kind(flag), months=stale_months)
        if dates:
            return _("%(kind)s detail last verified %(day)s (older than %(months)d months)",
                     kind=_kind(flag), day=dates[0].isoformat(), months=stale_months)
        return _("%(kind)s detail not verified recently (older than %(months)d months)",
                 kind=_kind(flag), months=stale_months)
    return flag
