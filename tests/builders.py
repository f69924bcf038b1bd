"""Small keyword-only builders for test data."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import (
    Appeal,
    AppealRecipient,
    ContactDetail,
    Demand,
    Group,
    Membership,
    Organization,
    Person,
    Post,
)


def make_post(*, slug: str = "kz-minister-information", label: str = "Minister of Information",
              holder: str | None = "Dauren Abayev", since: date | None = date(2019, 2, 25),
              salutation: str = "Dear Minister", org_slug: str | None = None,
              contacts: list[tuple[str, str]] = ()) -> Post:
    org = db.session.query(Organization).filter_by(slug=org_slug or f"{slug}-org").one_or_none()
    if org is None:
        org = Organization(slug=org_slug or f"{slug}-org", name=f"Office of the {label}",
                           kind="ministry", country="KZ")
        db.session.add(org)
    post = Post(slug=slug, label=label, organization=org, salutation=salutation)
    if holder:
        person = Person(slug=f"{slug}-holder", name=holder)
        post.memberships.append(Membership(person=person, start_date=since))
    for kind, value in contacts:
        post.contacts.append(ContactDetail(type=kind, value=value, last_verified=date.today()))
    db.session.add(post)
    db.session.flush()
    return post


def make_appeal(*, slug: str = "test-appeal", title: str = "Free the journalist",
                state: str = "open", posts: list[Post] | None = None, group: Group | None = None,
                body_md: str = "The **case**.", paused_notice: str | None = None) -> Appeal:
    appeal = Appeal(slug=slug, title=title, summary="A journalist is on trial.", body_md=body_md,
                    state=state, group=group, paused_notice=paused_notice)
    for i, post in enumerate(posts if posts is not None else [make_post()]):
        appeal.recipients.append(AppealRecipient(post=post, role="to", position=i))
    appeal.demands.append(Demand(number=1, authority="the Minister", text="Release him."))
    db.session.add(appeal)
    db.session.commit()
    return appeal


def make_group(*, slug: str = "adil-soz", name: str = "Adil Soz") -> Group:
    group = Group(slug=slug, name=name)
    db.session.add(group)
    db.session.commit()
    return group


def make_keyed_group(*, slug: str = "adil-soz", name: str = "Adil Soz") -> tuple[Group, str]:
    """A group with an organisation key: (group, the text of its key file)."""
    from app.sealing.keys import create_group_key

    group = make_group(slug=slug, name=name)
    return group, create_group_key(group)


def key_upload(key_text: str, name: str = "org.appeal-desk-key") -> tuple:
    """A key file as the test client uploads it (a form value)."""
    import io

    return (io.BytesIO(key_text.encode()), name)


def seal_as_signing_does(signature, group: Group | None = None) -> None:
    """Store a signature built with clear fields the way signing stores it once its
    confirmation is sent: sealed to `group`'s key (the appeal's by default), clear columns
    erased, the name only in the form the signer disclosed. Not committed."""
    from app.sealing.boxes import SignerDetails, clear_name, seal

    group = group or db.session.get(Appeal, signature.appeal_id).group
    details = SignerDetails(name=signature.name, email=signature.email or "",
                            city=signature.city, message=signature.message)
    signature.sealed = seal(details, group.public_key)
    signature.own_copy = b"-"  # not opened in these tests; marks a row signed after sealing
    signature.name = clear_name(details.name, signature.public_display or "none",
                                signature.letter_inclusion or "count_only")
    signature.email = signature.city = signature.message = None
