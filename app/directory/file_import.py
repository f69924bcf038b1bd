"""Import of validated directory files into the database: update in place, record every change.

Called by app.directory.files.import_paths once every file is valid; the caller commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.directory.contacts import format_phone
from app.directory.file_export import (
    contact_fields,
    holder_fields,
    org_fields,
    person_fields,
    post_fields,
)
from app.directory.file_schema import span
from app.extensions import db
from app.models import ContactDetail, DirectoryChange, Membership, Organization, Person, Post

# --- Import -----------------------------------------------------------------------------------


@dataclass
class Change:
    entity_type: str
    slug: str
    field: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        if self.field == "created":
            return f"{self.entity_type} {self.slug}: created"
        return f"{self.entity_type} {self.slug}: {self.field}: {self.old!s} -> {self.new!s}"


@dataclass
class ImportReport:
    """What an import did: per entity type, how many were created, updated or unchanged."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def count(self, bucket: str, entity_type: str) -> None:
        counts = getattr(self, bucket)
        counts[entity_type] = counts.get(entity_type, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        def total(counts: dict) -> int:
            return sum(counts.values())

        lines = [f"created: {total(self.created)}, updated: {total(self.updated)}, "
                 f"unchanged: {total(self.unchanged)}"]
        for bucket in ("created", "updated", "unchanged"):
            counts = getattr(self, bucket)
            if counts:
                lines.append(f"  {bucket}: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
        created = {(c.entity_type, c.slug) for c in self.changes if c.field == "created"}
        lines.extend(f"  {change}" for change in self.changes
                     if (change.entity_type, change.slug) not in created)
        return "\n".join(lines)


class _Importer:
    def __init__(self, report: ImportReport, actor: str, user_id: int | None):
        self.report = report
        self.actor = actor
        self.user_id = user_id

    def record(self, entity_type: str, slug: str, name: str, old: Any, new: Any) -> None:
        change = Change(entity_type, slug, name, _text(old), _text(new))
        self.report.changes.append(change)
        db.session.add(DirectoryChange(user_id=self.user_id, actor=self.actor, entity_type=entity_type,
                                       entity_slug=slug, field=name[:80], old_value=change.old,
                                       new_value=change.new))

    def upsert(self, model: type, entity_type: str, slug: str, wanted: dict, current: dict | None,
               apply) -> Any:  # noqa: ANN001
        """Create or update one entity; `apply(obj, name, value)` sets a field on the model."""
        obj = db.session.scalar(select(model).where(model.slug == slug))
        if obj is None:
            obj = model(slug=slug)
            for name, value in wanted.items():
                apply(obj, name, value)
            db.session.add(obj)
            self.report.count("created", entity_type)
            self.record(entity_type, slug, "created", None, slug)
            return obj, True
        current = current if current is not None else {}
        diffs = [(name, current.get(name), value) for name, value in wanted.items()
                 if current.get(name) != value]
        for name, old, value in diffs:
            apply(obj, name, value)
            self.record(entity_type, slug, name, old, value)
        return obj, bool(diffs)

    def run(self, organizations: list, people: list) -> None:
        """`organizations` and `people`: app.directory.files.Entry (record, group, position)."""
        persons = {}
        for entry in people:
            rec = entry.record
            existing = db.session.scalar(select(Person).where(Person.slug == rec.id))
            wanted = {**rec.stored(), "file_group": entry.group, "position": entry.position}
            person, changed = self.upsert(Person, "person", rec.id, wanted,
                                          person_fields(existing) if existing else None, _set_attr)
            persons[rec.id] = person
            self.tally("person", existing, changed)
        orgs = {}
        for entry in organizations:
            rec = entry.record
            existing = db.session.scalar(select(Organization).where(Organization.slug == rec.id))
            wanted = {**rec.stored(), "file_group": entry.group, "position": entry.position}
            org, changed = self.upsert(Organization, "organization", rec.id, wanted,
                                       org_fields(existing) if existing else None, _set_attr)
            changed |= self.sync_contacts("organization", rec.id, org, rec.contacts or [])
            orgs[rec.id] = (org, existing, changed)
        db.session.flush()
        for entry in organizations:
            org, existing, changed = orgs[entry.record.id]
            changed |= self.set_parent(org, entry.record)
            self.tally("organization", existing, changed)
            for position, post_rec in enumerate(entry.record.posts or []):
                self.post(post_rec, position, org, persons)

    def tally(self, entity_type: str, existing: Any, changed: bool) -> None:
        if existing is not None:
            self.report.count("updated" if changed else "unchanged", entity_type)

    def set_parent(self, org: Organization, rec: Any) -> bool:
        old = org.parent.slug if org.parent is not None else None
        if old == rec.parent:
            return False
        org.parent = db.session.scalar(select(Organization).where(Organization.slug == rec.parent)) \
            if rec.parent else None
        self.record("organization", rec.id, "parent", old, rec.parent)
        return True

    def post(self, rec: Any, position: int, org: Organization, people: dict) -> None:
        existing = db.session.scalar(select(Post).where(Post.slug == rec.id))

        def apply(obj: Post, name: str, value: Any) -> None:
            if name == "organization":
                obj.organization = org
            else:
                setattr(obj, name, value)

        wanted = {**rec.stored(), "organization": org.slug, "position": position}
        post, changed = self.upsert(Post, "post", rec.id, wanted,
                                    post_fields(existing) if existing else None, apply)
        changed |= self.sync_holders(post, rec, people)
        changed |= self.sync_contacts("post", rec.id, post, rec.contacts or [])
        self.tally("post", existing, changed)

    def sync_holders(self, post: Post, rec: Any, people: dict) -> bool:
        holders = rec.holders or []
        current = [holder_fields(m) for m in post.memberships]
        wanted = [h.stored() for h in holders]
        if current == wanted:
            return False
        memberships = list(post.memberships)
        for i, holder in enumerate(holders):
            person = people.get(holder.person) or db.session.scalar(
                select(Person).where(Person.slug == holder.person))
            if i < len(memberships):
                membership = memberships[i]
            else:
                membership = Membership()
                post.memberships.append(membership)
            membership.person = person
            membership.start_date, membership.end_date = holder.start, holder.end
            membership.source = holder.source
        for extra in memberships[len(holders):]:
            post.memberships.remove(extra)
        self.record("post", rec.id, "holders", _holders_text(current), _holders_text(wanted))
        return True

    def sync_contacts(self, entity_type: str, slug: str, owner: Any, records: list) -> bool:
        current = [contact_fields(c) for c in owner.contacts]
        wanted = [r.stored() for r in records]
        if current == wanted:
            return False
        contacts = list(owner.contacts)
        for i in range(len(records)):
            if i < len(contacts):
                contact = contacts[i]
            else:
                contact = ContactDetail()
                owner.contacts.append(contact)
            for name, value in wanted[i].items():
                setattr(contact, name, value)
            contact.position = i
            old = current[i] if i < len(current) else None
            if old != wanted[i]:
                self.record(entity_type, slug, f"contacts[{i}]", _contact_text(old), _contact_text(wanted[i]))
        for i, extra in enumerate(contacts[len(records):], start=len(records)):
            owner.contacts.remove(extra)
            self.record(entity_type, slug, f"contacts[{i}]", _contact_text(current[i]), None)
        return True


def _set_attr(obj: Any, name: str, value: Any) -> None:
    setattr(obj, name, value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _holders_text(holders: list[dict]) -> str | None:
    return "; ".join(f"{h['person']} {span(h['start'], h['end'])}" for h in holders) or None


def _contact_text(contact: dict | None) -> str | None:
    if contact is None:
        return None
    shown = format_phone(contact["value"]) if contact["type"] in ("fax", "phone") else contact["value"]
    extra = f" (verified {contact['last_verified']})" if contact.get("last_verified") else ""
    return f"{contact['type']}: {shown}{extra}"




def run_import(organizations: list, people: list, actor: str, user_id: int | None) -> ImportReport:
    """Create or update every entity of the validated files; the caller commits."""
    report = ImportReport()
    _Importer(report, actor, user_id).run(organizations, people)
    return report
