"""The directory as reviewable YAML files: check, import (all or nothing, idempotent), export.

One file per group (`recipients/kz.yaml` -> group "kz"): organisations with their contacts and
posts (each post with its holders over time and its own contacts), then the people who hold them.
What a file may hold is declared in app.directory.file_schema; this module adds the rules that
look across files and at the database: ids used twice, references to unknown organisations or
people, and ids that another file already owns. See docs/directory.md for the format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from app.datafiles.errors import DataFileError, Problem, did_you_mean, problems_from
from app.datafiles.loader import Located, load_file, yaml_files
from app.directory.file_export import export_directory
from app.directory.file_import import ImportReport, run_import
from app.directory.file_schema import DirectoryFile, Organization, Person
from app.extensions import db
from app.models import Organization as OrganizationRow
from app.models import Person as PersonRow
from app.models import Post as PostRow

__all__ = ["Entry", "Known", "Parsed", "check_paths", "export_directory", "import_paths",
           "known_in_database", "parse_paths", "yaml_files"]


@dataclass
class Entry:
    """One valid organisation or person, with where it was read."""

    record: Any
    doc: Located
    group: str
    position: int

    @property
    def path(self) -> tuple:
        return ("organizations" if isinstance(self.record, Organization) else "people", self.position)


@dataclass
class Parsed:
    organizations: list[Entry] = field(default_factory=list)
    people: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    groups: set[str] = field(default_factory=set)
    # ids of entries that are invalid: references to them are not reported as unknown too
    unchecked_ids: set[str] = field(default_factory=set)


@dataclass
class Known:
    """What the database already holds: slug -> the file group that owns it."""

    organizations: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    posts: dict[str, str] = field(default_factory=dict)


def known_in_database() -> Known:
    """The stored organisation, person and post slugs, each with its owning file group."""
    posts = db.session.execute(select(PostRow.slug, OrganizationRow.file_group)
                               .join(OrganizationRow, PostRow.organization_id == OrganizationRow.id))
    return Known(organizations=dict(db.session.execute(select(OrganizationRow.slug,
                                                              OrganizationRow.file_group)).all()),
                 people=dict(db.session.execute(select(PersonRow.slug, PersonRow.file_group)).all()),
                 posts=dict(posts.all()))


def _region_of(item: Any) -> str | None:
    """The organisation's country, for phone numbers written without +<country code>."""
    country = item.get("country") if isinstance(item, dict) else None
    return country if isinstance(country, str) else None


def _entries(doc: Located, items: list, model: type[BaseModel], key: str, parsed: Parsed) -> list[Entry]:
    entries = []
    for i, item in enumerate(items):
        try:
            record = model.model_validate(item, context={"region": _region_of(item)})
        except ValidationError as error:
            parsed.problems.extend(problems_from(error, doc, model, (key, i)))
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                parsed.unchecked_ids.add(item["id"])
            continue
        entries.append(Entry(record, doc, Path(doc.file).stem, i))
    return entries


def _read_file(path: Path, parsed: Parsed) -> None:
    try:
        doc = load_file(path)
    except DataFileError as error:
        parsed.problems.extend(error.problems)
        return
    parsed.groups.add(path.stem)
    if doc.data is None:
        return
    if not isinstance(doc.data, dict):
        parsed.problems.append(doc.problem((), _("the file must be a mapping with 'organizations' "
                                                 "and 'people'")))
        return
    try:
        DirectoryFile.model_validate(doc.data)
    except ValidationError as error:  # and go on with the sections that are lists
        parsed.problems.extend(problems_from(error, doc, DirectoryFile))
    for key, model, found in (("organizations", Organization, parsed.organizations),
                              ("people", Person, parsed.people)):
        if isinstance(doc.data.get(key), list):
            found += _entries(doc, doc.data[key], model, key, parsed)


def parse_paths(paths: Iterable[Path], known: Known | None = None, take_over: bool = False) -> Parsed:
    """Read and validate every file, then the rules across files and against `known`."""
    parsed = Parsed()
    for path in yaml_files(paths):
        before = len(parsed.problems)
        _read_file(path, parsed)
        parsed.problems[before:] = sorted(parsed.problems[before:], key=lambda p: p.line or 0)
    claims = _claims(parsed)
    known = known or Known()
    _check_references(parsed, claims, known)
    if not take_over:
        _check_ownership(claims, known, parsed)
    return parsed


def _claims(parsed: Parsed) -> dict[tuple[str, str], tuple[Entry, tuple]]:
    """(kind, id) -> where it is first defined; a second definition is a problem."""
    claims: dict[tuple[str, str], tuple[Entry, tuple]] = {}

    def claim(kind: str, slug: str, entry: Entry, path: tuple) -> None:
        if (kind, slug) in claims:
            first, first_path = claims[(kind, slug)]
            parsed.problems.append(entry.doc.problem((*path, "id"), _(
                "duplicate %(kind)s id '%(slug)s' (also at %(where)s)", kind=kind, slug=slug,
                where=f"{first.doc.file}:{first.doc.line(*first_path)}")))
        else:
            claims[(kind, slug)] = (entry, path)

    for entry in parsed.organizations:
        claim("organisation", entry.record.id, entry, entry.path)
        for j, post in enumerate(entry.record.posts or []):
            claim("post", post.id, entry, (*entry.path, "posts", j))
    for entry in parsed.people:
        claim("person", entry.record.id, entry, entry.path)
    return claims


def _check_references(parsed: Parsed, claims: dict, known: Known) -> None:
    orgs = {slug for kind, slug in claims if kind == "organisation"} | set(known.organizations)
    people = {slug for kind, slug in claims if kind == "person"} | set(known.people)
    orgs, people = orgs | parsed.unchecked_ids, people | parsed.unchecked_ids
    for entry in parsed.organizations:
        org, path = entry.record, entry.path
        if org.parent and org.parent == org.id:
            parsed.problems.append(entry.doc.problem((*path, "parent"),
                                                     _("an organisation cannot be its own parent")))
        elif org.parent and org.parent not in orgs:
            parsed.problems.append(entry.doc.problem((*path, "parent"), _(
                "unknown organisation '%(slug)s'", slug=org.parent) + did_you_mean(org.parent, orgs)))
        for j, post in enumerate(org.posts or []):
            for k, holder in enumerate(post.holders or []):
                if holder.person not in people:
                    parsed.problems.append(entry.doc.problem(
                        (*path, "posts", j, "holders", k, "person"),
                        _("unknown person '%(slug)s' (add them under 'people')", slug=holder.person)
                        + did_you_mean(holder.person, people)))


def _check_ownership(claims: dict, known: Known, parsed: Parsed) -> None:
    """An id another file owns in the database is not silently taken over (its holders and
    contacts would be replaced): unless the owner's file is read too, the import says whose it is."""
    owners = {"organisation": known.organizations, "person": known.people, "post": known.posts}
    for (kind, slug), (entry, path) in claims.items():
        owner = owners[kind].get(slug)
        if owner is None or owner == entry.group or owner in parsed.groups:
            continue
        parsed.problems.append(entry.doc.problem((*path, "id"), _(
            "%(kind)s '%(slug)s' belongs to %(owner)s.yaml, not to %(file)s; use another id here, "
            "or import with --take-over to move it to %(file)s", kind=kind, slug=slug,
            owner=owner, file=Path(entry.doc.file).name)))


def check_paths(paths: Iterable[Path], known: Known | None = None,
                take_over: bool = False) -> list[Problem]:
    """Every problem in the files named by `paths` (empty when they are valid)."""
    return parse_paths(paths, known, take_over).problems


def import_paths(paths: Iterable[Path], actor: str = "import", user_id: int | None = None,
                 take_over: bool = False) -> ImportReport:
    """Load the directory files into the database: all of them or, when any is invalid, nothing.

    Idempotent: entities are matched by their id, updated in place and never duplicated; the
    holders and contacts of an imported post or organisation are made to match the file. Every
    change is recorded as a DirectoryChange by `actor`. Commits once; raises DataFileError (with
    every problem) and leaves the database untouched when a file is invalid. `take_over` lets a
    file take ids that another file owns.
    """
    parsed = parse_paths(paths, known_in_database(), take_over)
    if parsed.problems:
        raise DataFileError(parsed.problems)
    try:
        report = run_import(parsed.organizations, parsed.people, actor, user_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report
