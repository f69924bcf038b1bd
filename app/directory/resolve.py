"""Who holds a post on a date, and how to reach them: the one function letters and delivery use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.models import ContactDetail, Membership, Person, Post


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
        return self.holder is None

    def first(self, channel: str) -> ContactDetail | None:
        return next((c for c in self.contacts if c.type == channel), None)


def holder_on(post: Post, on: date) -> Membership | None:
    """The membership covering `on` (start and end dates inclusive); the latest start wins."""
    covering = [
        m for m in post.memberships
        if (m.start_date is None or m.start_date <= on) and (m.end_date is None or on <= m.end_date)
    ]
    covering.sort(key=lambda m: m.start_date or date.min)
    return covering[-1] if covering else None


def resolve(post: Post, on: date | None = None, channel: str | None = None,
            stale_months: int = 12) -> Resolution:
    """Holder of `post` on `on` (today by default) and its contact details, with warning flags.

    Post-level details come first, then the organisation's (and its parents'). Flags:
    "vacant" when no one holds the post, "stale:<type>" for a detail not verified within
    `stale_months`, "no-channel:<channel>" when the asked-for channel is missing.
    """
    on = on or date.today()
    membership = holder_on(post, on)
    contacts = list(post.contacts)
    organization = post.organization
    while organization is not None:
        contacts.extend(organization.contacts)
        organization = organization.parent
    if channel is not None:
        contacts = [c for c in contacts if c.type == channel]
    flags = [] if membership else ["vacant"]
    for contact in contacts:
        if is_stale(contact, on, stale_months):
            flags.append(f"stale:{contact.type}")
    if channel is not None and not contacts:
        flags.append(f"no-channel:{channel}")
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
