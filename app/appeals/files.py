"""Appeals as YAML files: export for review, import to move campaigns between instances.

What a file may hold is declared in app.appeals.file_schema. An import validates the whole file
first and reports every problem as `file:line: field: message`; a file with any problem changes
nothing. Export writes the form import reads back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError
from sqlalchemy import select

from app.appeals import translations as tr
from app.appeals.file_schema import AppealFile, letter_requests_values, translations_values
from app.datafiles.errors import DataFileError, did_you_mean, problems_from
from app.datafiles.fields import parse_partial_date
from app.datafiles.loader import Located, load_file, load_text
from app.datafiles.writer import dump
from app.extensions import db
from app.languages import CODES as LANGUAGES
from app.models import (
    Appeal,
    AppealRecipient,
    CaseEvent,
    CasePerson,
    Charge,
    Demand,
    Group,
    Post,
    Source,
    utcnow,
)


@dataclass
class ImportResult:
    slug: str
    action: str  # "created", "updated" or "unchanged"


# --- Export -----------------------------------------------------------------------------------


def appeal_to_dict(appeal: Appeal) -> dict[str, Any]:
    """The canonical YAML shape of an appeal (also used to tell whether an import changes it)."""
    group = appeal.group
    out = {
        "slug": appeal.slug,
        "title": appeal.title,
        "state": appeal.state,
        "summary": appeal.summary,
        "pitch": appeal.pitch,
        "signature_goal": appeal.signature_goal,
        "paused_notice": appeal.paused_notice,
        "country": appeal.country,
        "court": appeal.court,
        "organisation": None if group is None else {
            "slug": group.slug, "name": group.name, "website": group.website,
            "email": group.email, "address": group.postal_address,
        },
        "letter": {"subject": appeal.letter_subject, "language": appeal.letter_language,
                   "body": appeal.letter_body},
        "people": [
            {"name": p.name, "role": p.role, "status": p.status, "description": p.description}
            for p in appeal.people
        ],
        "charges": [
            {"person": c.person.name if c.person else None, "code": c.code, "article": c.article,
             "label": c.label}
            for c in appeal.charges
        ],
        "events": [
            {"date": event_date(e), "kind": e.kind, "title": e.title, "court": e.court,
             "description": e.description, "public": e.public}
            for e in sorted(appeal.events, key=lambda e: (e.date, e.id or 0))
        ],
        "sources": [{"number": s.number, "title": s.title, "url": s.url} for s in appeal.sources],
        "demands": [
            {"number": d.number, "authority": d.authority, "post": d.post.slug if d.post else None,
             "text": d.text}
            for d in appeal.demands
        ],
        "recipients": [{"post": r.post.slug, "role": r.role} for r in appeal.recipients],
        "body": appeal.body_md,
    }
    # The lifecycle fields are written only when set, so files without them stay as they were.
    lifecycle = {"write_before": appeal.write_before, "outcome": appeal.outcome}
    out = _insert_after(out, "paused_notice", {k: v for k, v in lifecycle.items() if v})
    if appeal.letter_requests:  # likewise: most appeals use the bundled requests
        out = _insert_after(out, "letter", {"letter_requests": _requests_in_order(appeal.letter_requests)})
    translations = tr.to_export(appeal)
    if translations:
        out["translations"] = translations
    return out


def _requests_in_order(stored: dict) -> dict:
    """The coordinator's requests by language (the configured order), authority first."""
    order = [*LANGUAGES, *sorted(stored)]
    return {language: {role: stored[language][role] for role in ("authority", "third_party")
                       if stored[language].get(role)}
            for language in sorted(stored, key=order.index)}


def _insert_after(mapping: dict, key: str, extra: dict) -> dict:
    """`mapping` with `extra` placed right after `key` (the order the file is written in)."""
    out: dict = {}
    for name, value in mapping.items():
        out[name] = value
        if name == key:
            out.update(extra)
    return out


def export_appeal(appeal: Appeal) -> str:
    return dump(appeal_to_dict(appeal))


def event_date(event: CaseEvent) -> date | str:
    """The date as the file writes it: 2019-09-23, or "2017-04" / "2017" when only that is known."""
    return _written((event.date, event.date_precision))


# --- Import -----------------------------------------------------------------------------------


def _values(appeal: AppealFile) -> dict[str, Any]:
    """The validated file in appeal_to_dict's shape (so that "unchanged" is a comparison)."""
    letter, group = appeal.letter, appeal.organisation
    return {
        "slug": appeal.slug, "title": appeal.title, "state": appeal.state or "draft",
        "summary": appeal.summary or "", "pitch": appeal.pitch,
        "signature_goal": appeal.signature_goal, "paused_notice": appeal.paused_notice,
        "write_before": appeal.write_before, "outcome": appeal.outcome,
        "country": appeal.country, "court": appeal.court,
        "organisation": group.model_dump() if group else None,
        "letter": {"subject": letter.subject if letter else None,
                   "language": (letter.language if letter else None) or "en",
                   "body": letter.body if letter else None},
        "people": [{**p.model_dump(), "description": p.description or ""} for p in appeal.people or []],
        "charges": [c.model_dump() for c in appeal.charges or []],
        "events": sorted(({**e.model_dump(), "date": _written(e.date), "description": e.description or ""}
                          for e in appeal.events or []), key=lambda e: parse_partial_date(e["date"])[0]),
        "sources": [s.model_dump() for s in appeal.sources or []],
        "demands": [d.model_dump() for d in appeal.demands or []],
        "recipients": [{"post": r.post, "role": r.role or "to"} for r in appeal.recipients or []],
        "body": appeal.body or "",
        "translations": translations_values(appeal),
        "letter_requests": letter_requests_values(appeal),
    }


def _written(parsed: tuple[date, str]) -> date | str:
    day, precision = parsed
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(precision, day)


def _check_posts(doc: Located, values: dict) -> list:
    wanted = [(("recipients", i, "post"), r["post"]) for i, r in enumerate(values["recipients"])]
    wanted += [(("demands", i, "post"), d["post"]) for i, d in enumerate(values["demands"]) if d["post"]]
    known = set(db.session.scalars(select(Post.slug))) if wanted else set()
    return [doc.problem(path, _("no post '%(post)s' in the directory (import recipients/ first)",
                                post=slug) + did_you_mean(slug, known))
            for path, slug in wanted if slug not in known]


def parse_appeal(doc: Located) -> dict[str, Any]:
    """Validate a located document; the values to store, or DataFileError with every problem."""
    if not isinstance(doc.data, dict):
        raise DataFileError([doc.problem((), _("the file must hold one appeal (a mapping of fields)"))])
    try:
        values = _values(AppealFile.model_validate(doc.data))
    except ValidationError as error:
        raise DataFileError(problems_from(error, doc, AppealFile)) from None
    problems = _check_posts(doc, values)
    if problems:
        raise DataFileError(problems)
    return values


def import_appeal_file(path: Path) -> ImportResult:
    """Validate and import one YAML file. Commits; raises DataFileError and then changes nothing."""
    return import_appeal_document(load_file(path))


def import_appeal_text(text: str, name: str = "<text>") -> ImportResult:
    """Validate and import YAML text (`name` is the file named in errors)."""
    return import_appeal_document(load_text(text, name))


def import_appeal_document(doc: Located) -> ImportResult:
    values = parse_appeal(doc)
    appeal = db.session.scalar(select(Appeal).where(Appeal.slug == values["slug"]))
    if appeal is not None and _same(appeal, values):
        return ImportResult(values["slug"], "unchanged")
    action = "updated" if appeal is not None else "created"
    try:
        store_appeal(appeal, values)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(values["slug"], action)


def store_appeal(appeal: Appeal | None, values: dict) -> Appeal:
    """Write validated `values` (parse_appeal) into `appeal`, or a new one; the caller commits.
    The browser's editor saves through this too, so a file and a form store the same things."""
    with db.session.no_autoflush:
        if appeal is None:
            appeal = Appeal(slug=values["slug"])
            db.session.add(appeal)
        appeal.slug = values["slug"]
        _apply(appeal, values)
        # A change to a charge or a demand alone leaves the appeal row as it was: the public
        # page cache keys on updated_at, so stamp it.
        appeal.updated_at = utcnow()
    return appeal


def _same(appeal: Appeal, values: dict) -> bool:
    current = appeal_to_dict(appeal)
    incoming = dict(values)
    return all(current.get(key) == incoming.get(key) for key in incoming)


def _group(values: dict | None) -> Group | None:
    if values is None:
        return None
    group = db.session.scalar(select(Group).where(Group.slug == values["slug"]))
    if group is None:
        group = Group(slug=values["slug"], name=values["name"])
        db.session.add(group)
    group.name, group.website, group.email = values["name"], values["website"], values["email"]
    group.postal_address = values["address"]
    return group


def _apply(appeal: Appeal, v: dict) -> None:
    posts = {p.slug: p for p in db.session.scalars(select(Post))}
    appeal.title, appeal.state, appeal.summary = v["title"], v["state"], v["summary"]
    appeal.paused_notice, appeal.country, appeal.court = v["paused_notice"], v["country"], v["court"]
    appeal.write_before, appeal.outcome = v["write_before"], v["outcome"]
    appeal.body_md = v["body"]
    appeal.pitch, appeal.signature_goal = v["pitch"], v["signature_goal"]
    appeal.group = _group(v["organisation"])
    appeal.letter_subject = v["letter"]["subject"]
    appeal.letter_language = v["letter"]["language"]
    appeal.letter_body = v["letter"]["body"]
    appeal.letter_requests = v["letter_requests"]
    appeal.translations = tr.to_storage(v["translations"])
    # Children are replaced whole; clear and flush first so unique (appeal, number) keys free up.
    for collection in (appeal.charges, appeal.people, appeal.events, appeal.sources,
                       appeal.demands, appeal.recipients):
        collection.clear()
    db.session.flush()
    people = {}
    for i, p in enumerate(v["people"]):
        person = CasePerson(position=i, **p)
        people[p["name"]] = person
        appeal.people.append(person)
    for i, c in enumerate(v["charges"]):
        appeal.charges.append(Charge(position=i, person=people.get(c["person"]), code=c["code"],
                                     article=c["article"], label=c["label"]))
    for e in v["events"]:
        day, precision = parse_partial_date(e["date"])
        appeal.events.append(CaseEvent(**{**e, "date": day}, date_precision=precision))
    appeal.sources.extend(Source(**s) for s in v["sources"])
    for d in v["demands"]:
        appeal.demands.append(Demand(number=d["number"], authority=d["authority"], text=d["text"],
                                     post=posts.get(d["post"]) if d["post"] else None))
    for i, r in enumerate(v["recipients"]):
        appeal.recipients.append(AppealRecipient(post=posts[r["post"]], role=r["role"], position=i))
