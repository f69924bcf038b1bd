"""The directory as reviewable YAML files: check, import (idempotent) and export (byte-stable).

One file per group (`recipients/kz.yaml` → group "kz"): organisations with their contacts and
posts (each post with its holders over time and its own contacts), then the people who hold
them. Ids are stable slugs. See docs/directory.md for the format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from app.directory import translations as tr
from app.directory.contacts import (
    ADDRESS_FIELDS,
    CONTACT_TYPES,
    INTERNATIONAL,
    ContactError,
    format_phone,
    known_country,
    parse_contact_value,
)
from app.extensions import db
from app.models import ContactDetail, DirectoryChange, Membership, Organization, Person, Post
from app.models.enums import ContactType
from app.text import has_control_characters
from app.yamlio import DataFileError, Located, Problem, dump, load_file

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
KINDS = ("presidency", "government", "ministry", "prosecutor", "court", "ombudsman", "police",
         "parliament", "embassy", "un", "eu", "osce", "coe", "international", "other")
ORG_KEYS = ("id", "name", "abbreviation", "kind", "country", "parent", "source", "notes",
            "translations", "contacts", "posts")
POST_KEYS = ("id", "label", "salutation", "preferred_language", "collective", "source", "notes",
             "translations", "holders", "contacts")
HOLDER_KEYS = ("person", "start", "end", "source")
CONTACT_KEYS = ("type", "label", "value", "address", "last_verified", "source")
PERSON_KEYS = ("id", "name", "honorific_prefix", "source", "translations")
TOP_KEYS = ("organizations", "people")
DEFAULT_SALUTATION = "Dear Sir or Madam"


# --- Parsed records (values as stored in the database) ---------------------------------------


@dataclass
class ContactRec:
    type: str
    value: str
    address: dict | None
    label: str | None
    last_verified: date | None
    source: str | None

    def fields(self) -> dict:
        return {"type": self.type, "label": self.label, "value": self.value,
                "address": self.address, "last_verified": self.last_verified, "source": self.source}


@dataclass
class HolderRec:
    person: str
    start: date | None
    end: date | None
    source: str | None
    line: int | None = None
    dates_ok: bool = True

    def fields(self) -> dict:
        return {"person": self.person, "start": self.start, "end": self.end, "source": self.source}


@dataclass
class PostRec:
    slug: str
    label: str
    salutation: str
    preferred_language: str | None
    collective: bool
    source: str | None
    notes: str | None
    position: int
    organization: str
    translations: dict | None = None
    holders: list[HolderRec] = field(default_factory=list)
    contacts: list[ContactRec] = field(default_factory=list)

    def fields(self) -> dict:
        return {"label": self.label, "organization": self.organization,
                "salutation": self.salutation, "preferred_language": self.preferred_language,
                "collective": self.collective, "source": self.source, "notes": self.notes,
                "position": self.position, "translations": self.translations}


@dataclass
class OrgRec:
    slug: str
    name: str
    abbreviation: str | None
    kind: str
    country: str
    parent: str | None
    source: str | None
    notes: str | None
    file_group: str
    position: int
    translations: dict | None = None
    contacts: list[ContactRec] = field(default_factory=list)
    posts: list[PostRec] = field(default_factory=list)
    file: str = ""
    parent_line: int | None = None

    def fields(self) -> dict:
        return {"name": self.name, "abbreviation": self.abbreviation, "kind": self.kind,
                "country": self.country, "parent": self.parent, "source": self.source,
                "notes": self.notes, "file_group": self.file_group, "position": self.position,
                "translations": self.translations}


@dataclass
class PersonRec:
    slug: str
    name: str
    honorific_prefix: str | None
    source: str | None
    file_group: str
    position: int
    translations: dict | None = None

    def fields(self) -> dict:
        return {"name": self.name, "honorific_prefix": self.honorific_prefix,
                "source": self.source, "file_group": self.file_group, "position": self.position,
                "translations": self.translations}


@dataclass
class Parsed:
    organizations: list[OrgRec] = field(default_factory=list)
    people: list[PersonRec] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- Loading and checking ---------------------------------------------------------------------


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The *.yaml files named by `paths` (files, or directories read non-recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found


def _load(path: Path) -> tuple[Located | None, list[Problem]]:
    """Parse one file keeping lines; a value that looks like a date but is none stays text.

    (app.yamlio would stop at 2019-02-30; here it is kept as the text "2019-02-30" so the
    field check reports it with its line, together with every other problem in the file.)
    """
    try:
        return load_file(path), []
    except DataFileError as error:
        return None, error.problems
    except (ValueError, TypeError):  # 2019-02-30, or a list used as a mapping key
        pass
    node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    lines: dict[tuple, int] = {}
    return Located(file=str(path), data=_build_lenient(node, (), lines), lines=lines), []


def _build_lenient(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "(a key that is not text)"
            result[key] = _build_lenient(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build_lenient(item, (*path, i), lines) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return yaml.SafeLoader(yaml.serialize(node)).get_single_data()
    except ValueError:
        return node.value


class _FileParser:
    """Reads one located file into records, collecting every problem instead of stopping."""

    def __init__(self, located: Located, group: str):
        self.doc = located
        self.group = group
        self.problems: list[Problem] = []

    def problem(self, path: tuple, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def parse(self) -> tuple[list[OrgRec], list[PersonRec]]:
        data = self.doc.data
        if data is None:
            return [], []
        if not isinstance(data, dict):
            self.problem((), "the file must be a mapping with 'organizations' and 'people'")
            return [], []
        self.unknown_keys((), data, TOP_KEYS)
        orgs = [self.org(item, ("organizations", i), i)
                for i, item in enumerate(self.seq((), data, "organizations"))]
        people = [self.person(item, ("people", i), i)
                  for i, item in enumerate(self.seq((), data, "people"))]
        return [o for o in orgs if o], [p for p in people if p]

    # Field helpers. Each returns a usable value (or None) and records a problem when wrong.

    def unknown_keys(self, path: tuple, item: dict, allowed: tuple) -> None:
        for key in item:
            if key not in allowed:
                self.problem((*path, key), f"unknown field (expected one of {', '.join(allowed)})")

    def seq(self, path: tuple, item: dict, key: str) -> list:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem((*path, key), "must be a list")
            return []
        return value

    def text(self, path: tuple, item: dict, key: str, *, required: bool = False,
             max_len: int | None = None) -> str | None:
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.problem((*path, key) if key in item else path, f"{key} is required")
            return None
        if not isinstance(value, str):
            self.problem((*path, key), "must be text")
            return None
        if max_len and len(value) > max_len:
            self.problem((*path, key), f"is longer than {max_len} characters")
        return value

    def slug(self, path: tuple, item: dict, key: str = "id") -> str | None:
        value = self.text(path, item, key, required=True, max_len=120)
        if value is not None and not SLUG.match(value):
            self.problem((*path, key), f"'{value}' is not a slug (lower-case letters, digits, dashes)")
            return None
        return value

    def day(self, path: tuple, item: dict, key: str) -> date | None:
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, datetime) or not isinstance(value, date | str):
            self.problem((*path, key), f"'{value}' is not a date (YYYY-MM-DD)")
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                self.problem((*path, key), f"'{value}' is not a date (YYYY-MM-DD)")
                return None
        return value

    def mapping(self, path: tuple, item: Any, what: str) -> bool:
        if not isinstance(item, dict):
            self.problem(path, f"each {what} must be a mapping")
            return False
        return True

    # Entities.

    def org(self, item: Any, path: tuple, position: int) -> OrgRec | None:
        if not self.mapping(path, item, "organisation"):
            return None
        self.unknown_keys(path, item, ORG_KEYS)
        slug = self.slug(path, item)
        kind = self.text(path, item, "kind", required=True)
        if kind is not None and kind not in KINDS:
            self.problem((*path, "kind"), f"unknown kind '{kind}' (one of {', '.join(KINDS)})")
        country = self.text(path, item, "country", required=True)
        if country is not None and country != INTERNATIONAL and not known_country(country):
            self.problem((*path, "country"),
                         f"unknown country '{country}' (an ISO 3166 code such as KZ, or international)")
        parent = item.get("parent")
        if parent is not None:
            parent = self.slug(path, item, "parent")
        org = OrgRec(
            slug=slug or "", name=self.text(path, item, "name", required=True, max_len=300) or "",
            abbreviation=self.text(path, item, "abbreviation", max_len=40), kind=kind or "",
            country=country or "", parent=parent,
            source=self.text(path, item, "source", required=True),
            notes=self.text(path, item, "notes"), file_group=self.group, position=position,
            file=self.doc.file, parent_line=self.doc.line(*path, "parent"),
            translations=self.translations(path, item, "organization"),
        )
        region = country if country and country != INTERNATIONAL else None
        org.contacts = self.contacts(path, item, region)
        org.posts = [p for i, raw in enumerate(self.seq(path, item, "posts"))
                     if (p := self.post(raw, (*path, "posts", i), i, org.slug, region))]
        return org

    def post(self, item: Any, path: tuple, position: int, org_slug: str,
             region: str | None) -> PostRec | None:
        if not self.mapping(path, item, "post"):
            return None
        self.unknown_keys(path, item, POST_KEYS)
        language = self.text(path, item, "preferred_language")
        if language is not None and not LANGUAGE.match(language):
            self.problem((*path, "preferred_language"),
                         f"'{language}' is not a language code (such as ru, kk, en)")
        collective = item.get("collective", False)
        if not isinstance(collective, bool):
            self.problem((*path, "collective"), "must be true or false")
            collective = False
        post = PostRec(
            slug=self.slug(path, item) or "",
            label=self.text(path, item, "label", required=True, max_len=300) or "",
            salutation=self.text(path, item, "salutation", max_len=120) or DEFAULT_SALUTATION,
            preferred_language=language, collective=collective,
            source=self.text(path, item, "source", required=True),
            notes=self.text(path, item, "notes"), position=position, organization=org_slug,
            translations=self.translations(path, item, "post"),
        )
        post.holders = [h for i, raw in enumerate(self.seq(path, item, "holders"))
                        if (h := self.holder(raw, (*path, "holders", i)))]
        self.check_overlaps(path, post.holders)
        post.contacts = self.contacts(path, item, region)
        return post

    def holder(self, item: Any, path: tuple) -> HolderRec | None:
        if not self.mapping(path, item, "holder"):
            return None
        self.unknown_keys(path, item, HOLDER_KEYS)
        before = len(self.problems)
        start, end = self.day(path, item, "start"), self.day(path, item, "end")
        dates_ok = len(self.problems) == before
        if start and end and end < start:
            self.problem((*path, "end"), f"ends ({end}) before it starts ({start})")
            dates_ok = False
        return HolderRec(person=self.slug(path, item, "person") or "", start=start, end=end,
                         source=self.text(path, item, "source", required=True),
                         line=self.doc.line(*path, "person"), dates_ok=dates_ok)

    def check_overlaps(self, path: tuple, holders: list[HolderRec]) -> None:
        dated = [(i, h) for i, h in enumerate(holders) if h.dates_ok]
        for (_, before), (j, after) in zip(dated, dated[1:], strict=False):
            if (after.start or date.min) < (before.start or date.min):
                self.problem((*path, "holders", j), "holders must be listed in date order (earliest first)")
        for i, first in enumerate(holders):
            for j in range(i + 1, len(holders)):
                second = holders[j]
                if first.dates_ok and second.dates_ok and \
                        dates_overlap(first.start, first.end, second.start, second.end):
                    self.problem((*path, "holders", j),
                                 f"holder dates overlap with holders[{i}] ({first.person}, "
                                 f"{_span(first.start, first.end)})")

    def contacts(self, path: tuple, item: dict, region: str | None) -> list[ContactRec]:
        records = []
        for i, raw in enumerate(self.seq(path, item, "contacts")):
            record = self.contact(raw, (*path, "contacts", i), region)
            if record:
                records.append(record)
        return records

    def contact(self, item: Any, path: tuple, region: str | None) -> ContactRec | None:
        if not self.mapping(path, item, "contact"):
            return None
        self.unknown_keys(path, item, CONTACT_KEYS)
        kind = self.text(path, item, "type", required=True)
        if kind is None:
            return None
        if kind not in CONTACT_TYPES:
            self.problem((*path, "type"), f"unknown type '{kind}' (one of {', '.join(CONTACT_TYPES)})")
            return None
        key = "address" if kind == ContactType.ADDRESS else "value"
        other = "value" if key == "address" else "address"
        if other in item:
            self.problem((*path, other), f"a {kind} contact takes '{key}', not '{other}'")
        if item.get(key) in (None, ""):
            self.problem(path, f"{key} is required for a {kind} contact")
            return None
        try:
            value, address = parse_contact_value(kind, item[key], region)
        except ContactError as error:
            self.problem((*path, key, *self._address_field(kind, item[key], str(error))), str(error))
            return None
        return ContactRec(type=kind, value=value, address=address,
                          label=self.text(path, item, "label", max_len=120),
                          last_verified=self.day(path, item, "last_verified"),
                          source=self.text(path, item, "source", required=True))

    def translations(self, path: tuple, item: dict, entity: str) -> dict | None:
        """`translations:` {language: {field: one line of text}}; see app/directory/translations.py."""
        value = item.get("translations")
        if value is None:
            return None
        path = (*path, "translations")
        allowed = tr.FIELDS[entity]
        if not isinstance(value, dict):
            self.problem(path, f"must be a mapping of language codes ({', '.join(tr.LANGUAGES)}) "
                               f"to fields ({', '.join(allowed)})")
            return None
        result = {}
        for language, fields in value.items():
            where = (*path, language)
            if language not in tr.LANGUAGES:
                self.problem(where, f"unknown language '{language}' (one of {', '.join(tr.LANGUAGES)})")
                continue
            if not isinstance(fields, dict):
                self.problem(where, f"must be a mapping of fields ({', '.join(allowed)})")
                continue
            self.unknown_keys(where, fields, allowed)
            entry = {}
            for name in allowed:
                one = fields.get(name)
                if one is None or one == "":
                    continue
                if not isinstance(one, str):
                    self.problem((*where, name), "must be text")
                elif has_control_characters(one):
                    self.problem((*where, name), "must be one line (no line breaks or control characters)")
                elif len(one) > tr.MAX_LENGTHS[name]:
                    self.problem((*where, name), f"is longer than {tr.MAX_LENGTHS[name]} characters")
                else:
                    entry[name] = one
            if entry:
                result[language] = entry
        return result or None

    @staticmethod
    def _address_field(kind: str, value: Any, message: str) -> tuple:
        """Point an address error at the line of the field it names, when there is one."""
        if kind != ContactType.ADDRESS or not isinstance(value, dict):
            return ()
        for name in ADDRESS_FIELDS:
            if name in value and (f"{name} is" in message or f"'{value[name]}'" in message):
                return (name,)
        return ()

    def person(self, item: Any, path: tuple, position: int) -> PersonRec | None:
        if not self.mapping(path, item, "person"):
            return None
        self.unknown_keys(path, item, PERSON_KEYS)
        return PersonRec(slug=self.slug(path, item) or "",
                         name=self.text(path, item, "name", required=True, max_len=200) or "",
                         honorific_prefix=self.text(path, item, "honorific_prefix", max_len=40),
                         source=self.text(path, item, "source", required=True),
                         file_group=self.group, position=position,
                         translations=self.translations(path, item, "person"))


def dates_overlap(start_a: date | None, end_a: date | None, start_b: date | None,
             end_b: date | None) -> bool:
    """Two date ranges (inclusive, None = open) share at least one day."""
    return (end_a is None or start_b is None or start_b <= end_a) and \
        (end_b is None or start_a is None or start_a <= end_b)


def _span(start: date | None, end: date | None) -> str:
    return f"{start or '…'} to {end or 'now'}"


@dataclass
class Known:
    """Slugs that references may point to outside the files being read (the database)."""

    organizations: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)


def parse_paths(paths: Iterable[Path], known: Known | None = None) -> Parsed:
    """Read and validate every file; cross-file checks: duplicate ids and unknown references."""
    parsed = Parsed()
    seen: dict[tuple[str, str], str] = {}
    for path in yaml_files(paths):
        if not path.exists():
            parsed.problems.append(Problem(str(path), None, "", "no such file"))
            continue
        located, problems = _load(path)
        parsed.problems.extend(problems)
        if located is None:
            continue
        parser = _FileParser(located, path.stem)
        organizations, people = parser.parse()
        parsed.problems.extend(sorted(parser.problems, key=lambda p: p.line or 0))
        _check_duplicates(located, organizations, people, seen, parsed.problems)
        parsed.organizations.extend(organizations)
        parsed.people.extend(people)
    _check_references(parsed, known or Known(), seen)
    return parsed


def _check_duplicates(located: Located, organizations: list[OrgRec], people: list[PersonRec],
                      seen: dict, problems: list[Problem]) -> None:
    def claim(kind: str, slug: str, path: tuple) -> None:
        if not slug:
            return
        here = f"{located.file}:{located.line(*path)}"
        if (kind, slug) in seen:
            problems.append(located.problem((*path, "id"),
                                            f"duplicate {kind} id '{slug}' (also at {seen[(kind, slug)]})"))
        else:
            seen[(kind, slug)] = here

    for org in organizations:
        path = ("organizations", org.position)
        claim("organisation", org.slug, path)
        for post in org.posts:
            claim("post", post.slug, (*path, "posts", post.position))
    for person in people:
        claim("person", person.slug, ("people", person.position))


def _check_references(parsed: Parsed, known: Known, seen: dict) -> None:
    orgs = {slug for kind, slug in seen if kind == "organisation"} | known.organizations
    people = {slug for kind, slug in seen if kind == "person"} | known.people
    for org in parsed.organizations:
        where = f"organizations[{org.position}]"
        if org.parent and org.parent not in orgs:
            parsed.problems.append(Problem(org.file, org.parent_line, f"{where}.parent",
                                           f"unknown organisation '{org.parent}'"))
        elif org.parent and org.parent == org.slug:
            parsed.problems.append(Problem(org.file, org.parent_line, f"{where}.parent",
                                           "an organisation cannot be its own parent"))
        for post in org.posts:
            for j, holder in enumerate(post.holders):
                if holder.person and holder.person not in people:
                    parsed.problems.append(Problem(
                        org.file, holder.line, f"{where}.posts[{post.position}].holders[{j}].person",
                        f"unknown person '{holder.person}' (add them under 'people')"))


def check_paths(paths: Iterable[Path], known: Known | None = None) -> list[Problem]:
    """Every problem in the files named by `paths` (empty when they are valid)."""
    return parse_paths(paths, known).problems


def known_in_database() -> Known:
    """The organisation and person slugs already stored (references may point to them)."""
    return Known(organizations=set(db.session.scalars(select(Organization.slug))),
                 people=set(db.session.scalars(select(Person.slug))))


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


def import_paths(paths: Iterable[Path], actor: str = "import", user_id: int | None = None) -> ImportReport:
    """Load the directory files into the database: all of them or, when any is invalid, nothing.

    Idempotent: entities are matched by their slug, updated in place and never duplicated;
    holders and contacts of an imported post or organisation are made to match the file.
    Every change is recorded as a DirectoryChange by `actor`. Commits once; raises
    DataFileError (with every problem) and leaves the database untouched when a file is invalid.
    """
    parsed = parse_paths(paths, known_in_database())
    if parsed.problems:
        raise DataFileError(parsed.problems)
    report = ImportReport()
    try:
        _Importer(report, actor, user_id).run(parsed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


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

    def run(self, parsed: Parsed) -> None:
        people = {}
        for rec in parsed.people:
            existing = db.session.scalar(select(Person).where(Person.slug == rec.slug))
            person, changed = self.upsert(Person, "person", rec.slug, rec.fields(),
                                          person_fields(existing) if existing else None, _set_attr)
            people[rec.slug] = person
            self.tally("person", existing, changed)
        orgs = {}
        for rec in parsed.organizations:
            existing = db.session.scalar(select(Organization).where(Organization.slug == rec.slug))
            wanted = {k: v for k, v in rec.fields().items() if k != "parent"}
            org, changed = self.upsert(Organization, "organization", rec.slug, wanted,
                                       org_fields(existing) if existing else None, _set_attr)
            changed |= self.sync_contacts("organization", rec.slug, org, rec.contacts)
            orgs[rec.slug] = (org, existing, changed)
        db.session.flush()
        for rec in parsed.organizations:
            org, existing, changed = orgs[rec.slug]
            changed |= self.set_parent(org, rec)
            self.tally("organization", existing, changed)
            for post_rec in rec.posts:
                self.post(post_rec, org, people)

    def tally(self, entity_type: str, existing: Any, changed: bool) -> None:
        if existing is not None:
            self.report.count("updated" if changed else "unchanged", entity_type)

    def set_parent(self, org: Organization, rec: OrgRec) -> bool:
        old = org.parent.slug if org.parent is not None else None
        if old == rec.parent:
            return False
        org.parent = db.session.scalar(select(Organization).where(Organization.slug == rec.parent)) \
            if rec.parent else None
        self.record("organization", rec.slug, "parent", old, rec.parent)
        return True

    def post(self, rec: PostRec, org: Organization, people: dict) -> None:
        existing = db.session.scalar(select(Post).where(Post.slug == rec.slug))

        def apply(obj: Post, name: str, value: Any) -> None:
            if name == "organization":
                obj.organization = org
            else:
                setattr(obj, name, value)

        post, changed = self.upsert(Post, "post", rec.slug, rec.fields(),
                                    post_fields(existing) if existing else None, apply)
        changed |= self.sync_holders(post, rec, people)
        changed |= self.sync_contacts("post", rec.slug, post, rec.contacts)
        self.tally("post", existing, changed)

    def sync_holders(self, post: Post, rec: PostRec, people: dict) -> bool:
        current = [holder_fields(m) for m in post.memberships]
        wanted = [h.fields() for h in rec.holders]
        if current == wanted:
            return False
        memberships = list(post.memberships)
        for i, holder in enumerate(rec.holders):
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
        for extra in memberships[len(rec.holders):]:
            post.memberships.remove(extra)
        self.record("post", rec.slug, "holders", _holders_text(current), _holders_text(wanted))
        return True

    def sync_contacts(self, entity_type: str, slug: str, owner: Any, records: list[ContactRec]) -> bool:
        current = [contact_fields(c) for c in owner.contacts]
        wanted = [r.fields() for r in records]
        if current == wanted:
            return False
        contacts = list(owner.contacts)
        for i, rec in enumerate(records):
            if i < len(contacts):
                contact = contacts[i]
            else:
                contact = ContactDetail()
                owner.contacts.append(contact)
            for name, value in rec.fields().items():
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
    return "; ".join(f"{h['person']} {_span(h['start'], h['end'])}" for h in holders) or None


def _contact_text(contact: dict | None) -> str | None:
    if contact is None:
        return None
    shown = format_phone(contact["value"]) if contact["type"] in ("fax", "phone") else contact["value"]
    extra = f" (verified {contact['last_verified']})" if contact.get("last_verified") else ""
    return f"{contact['type']}: {shown}{extra}"


# --- Database → canonical fields --------------------------------------------------------------


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
