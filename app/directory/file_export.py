"""The directory written back as YAML files, and the stored values in the files' canonical form
(the importer compares with these to tell what an import changes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.datafiles.writer import dump
from app.directory import translations as tr
from app.directory.contacts import ADDRESS_FIELDS, format_phone
from app.directory.file_schema import DEFAULT_SALUTATION
from app.extensions import db
from app.models import ContactDetail, Membership, Organization, Person, Post
from app.models.enums import ContactType

# --- Database -> canonical fields -----------------------------------------------------------


def person_fields(person: Person) -> dict:
    return {"name": person.name, "honorific_prefix": person.honorific_prefix,
            "source": person.source, "file_group": person.file_group, "position": person.position,
            "translations": translations_document(person.translations, "person")}


def org_fields(org: Organization) -> dict:
    return {"name": org.name, "abbreviation": org.abbreviation, "kind": org.kind,
            "country": org.country, "source": org.source, "notes": org.notes,
            "file_group": org.file_group, "position": org.position,
            "translations": translations_document(org.translations, "organization")}


def post_fields(post: Post) -> dict:
    return {"label": post.label, "organization": post.organization.slug if post.organization else None,
            "salutation": post.salutation, "preferred_language": post.preferred_language,
            "collective": bool(post.collective), "source": post.source, "notes": post.notes,
            "position": post.position, "translations": translations_document(post.translations, "post")}


def translations_document(stored: dict | None, entity: str) -> dict | None:
    """Stored translations in the canonical order (languages as in tr.LANGUAGES, then fields),
    without empty values; None when there are none."""
    stored = stored or {}
    order = list(tr.LANGUAGES) + sorted(lang for lang in stored if lang not in tr.LANGUAGES)
    result = {}
    for language in order:
        fields = stored.get(language) or {}
        entry = {name: fields[name] for name in tr.FIELDS[entity] if fields.get(name)}
        if entry:
            result[language] = entry
    return result or None


def holder_fields(membership: Membership) -> dict:
    return {"person": membership.person.slug, "start": membership.start_date,
            "end": membership.end_date, "source": membership.source}


def contact_fields(contact: ContactDetail) -> dict:
    address = None
    if contact.address:
        address = {k: contact.address[k] for k in ADDRESS_FIELDS if contact.address.get(k)}
    return {"type": contact.type, "label": contact.label, "value": contact.value,
            "address": address, "last_verified": contact.last_verified, "source": contact.source}


# --- Export -----------------------------------------------------------------------------------


def _compact(pairs: list[tuple[str, Any]]) -> dict:
    """A mapping in the given key order without empty values (the canonical file omits them)."""
    return {key: value for key, value in pairs if value not in (None, [], {}, False)}


def contact_document(contact: ContactDetail) -> dict:
    fields = contact_fields(contact)
    value: Any = fields["value"]
    if contact.type in (ContactType.FAX, ContactType.PHONE):
        value = format_phone(value)
    pairs = [("type", contact.type), ("label", fields["label"])]
    pairs.append(("address", fields["address"]) if contact.type == ContactType.ADDRESS
                 else ("value", value))
    pairs += [("last_verified", fields["last_verified"]), ("source", fields["source"])]
    return _compact(pairs)


def post_document(post: Post) -> dict:
    salutation = post.salutation or DEFAULT_SALUTATION
    return _compact([
        ("id", post.slug), ("label", post.label), ("salutation", salutation),
        ("preferred_language", post.preferred_language), ("collective", bool(post.collective)),
        ("source", post.source), ("notes", post.notes),
        ("translations", translations_document(post.translations, "post")),
        ("holders", [_compact([("person", m.person.slug), ("start", m.start_date),
                               ("end", m.end_date), ("source", m.source)])
                     for m in sorted(post.memberships, key=_membership_order)]),
        ("contacts", [contact_document(c) for c in post.contacts]),
    ])


def _membership_order(membership: Membership) -> tuple:
    return (membership.start_date or date.min, membership.end_date or date.max, membership.id or 0)


def organization_document(org: Organization) -> dict:
    posts = sorted(org.posts, key=lambda p: (p.position, p.slug))
    return _compact([
        ("id", org.slug), ("name", org.name), ("abbreviation", org.abbreviation), ("kind", org.kind),
        ("country", org.country), ("parent", org.parent.slug if org.parent else None),
        ("source", org.source), ("notes", org.notes),
        ("translations", translations_document(org.translations, "organization")),
        ("contacts", [contact_document(c) for c in org.contacts]),
        ("posts", [post_document(p) for p in posts]),
    ])


def person_document(person: Person) -> dict:
    return _compact([("id", person.slug), ("name", person.name),
                     ("honorific_prefix", person.honorific_prefix), ("source", person.source),
                     ("translations", translations_document(person.translations, "person"))])


def render_group(group: str) -> str:
    """The canonical YAML text of one file group."""
    orgs = db.session.scalars(select(Organization).where(Organization.file_group == group)
                              .order_by(Organization.position, Organization.slug))
    people = db.session.scalars(select(Person).where(Person.file_group == group)
                                .order_by(Person.position, Person.slug))
    document = _compact([("organizations", [organization_document(o) for o in orgs]),
                         ("people", [person_document(p) for p in people])])
    return dump(document)


def export_directory(out_dir: Path) -> list[Path]:
    """Write one `<group>.yaml` per file group into `out_dir`; returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    groups = sorted(set(db.session.scalars(select(Organization.file_group)))
                    | set(db.session.scalars(select(Person.file_group))))
    written = []
    for group in groups:
        path = out_dir / f"{group}.yaml"
        path.write_text(render_group(group), encoding="utf-8")
        written.append(path)
    return written
