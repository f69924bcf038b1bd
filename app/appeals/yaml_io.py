"""Appeals as YAML files: export for review, import to move campaigns between instances.

An import validates the whole file first and reports every problem as `file:line: field: message`;
a file with any problem changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.appeals import translations as tr
from app.extensions import db
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
)
from app.models.enums import AppealState, CaseStatus, EventKind, PersonRole, RecipientRole
from app.yamlio import DataFileError, Located, Problem, dump, load_file, load_located

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
TOP_LEVEL = ("slug", "title", "state", "summary", "paused_notice", "country", "court",
             "organisation", "letter", "people", "charges", "events", "sources", "demands",
             "recipients", "body", "translations")


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
            {"date": e.date, "kind": e.kind, "title": e.title, "court": e.court,
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
    translations = tr.to_export(appeal)
    if translations:
        out["translations"] = translations
    return out


def export_appeal(appeal: Appeal) -> str:
    return dump(appeal_to_dict(appeal))


# --- Validation -------------------------------------------------------------------------------


class _Checker:
    """Collects problems while reading fields of a located document."""

    def __init__(self, doc: Located):
        self.doc = doc
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))

    def text(self, obj: dict, path: tuple, key: str, *, required: bool = False,
             max_len: int | None = None, allow_newlines: bool = True) -> str | None:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.fail((*path, key), "is required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail((*path, key), f"must be text, not {type(value).__name__}")
            return None
        if max_len and len(value) > max_len:
            self.fail((*path, key), f"is longer than {max_len} characters")
        if not allow_newlines and ("\n" in value or "\r" in value):
            self.fail((*path, key), "must be on one line")
        return value

    def choice(self, obj: dict, path: tuple, key: str, allowed: type, default: str | None = None):
        value = obj.get(key, default)
        values = [e.value for e in allowed]
        if value not in values:
            self.fail((*path, key), f"must be one of {', '.join(values)} (got {value!r})")
            return default
        return value

    def items(self, obj: dict, key: str) -> list[tuple[tuple, dict]]:
        value = obj.get(key) or []
        if not isinstance(value, list):
            self.fail((key,), "must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.fail((key, i), "must be a mapping of fields")
            else:
                out.append(((key, i), item))
        return out


def _check_unknown_keys(check: _Checker, obj: dict, path: tuple, allowed: tuple) -> None:
    for key in obj:
        if key not in allowed:
            check.fail((*path, key), f"unknown field (expected one of: {', '.join(allowed)})")


def parse_appeal(doc: Located) -> dict[str, Any]:
    """Validate a located YAML document; return clean values or raise DataFileError."""
    check = _Checker(doc)
    data = doc.data
    if not isinstance(data, dict):
        raise DataFileError([doc.problem((), "the file must hold one appeal (a mapping of fields)")])
    _check_unknown_keys(check, data, (), TOP_LEVEL)
    out: dict[str, Any] = {}
    slug = check.text(data, (), "slug", required=True, allow_newlines=False)
    if slug is not None and not SLUG_RE.match(slug):
        check.fail(("slug",), "use 1–80 lowercase letters, digits and hyphens (no slashes or dots)")
    out["slug"] = slug
    out["title"] = check.text(data, (), "title", required=True, max_len=300, allow_newlines=False)
    out["state"] = check.choice(data, (), "state", AppealState, default=AppealState.DRAFT.value)
    out["summary"] = check.text(data, (), "summary") or ""
    out["paused_notice"] = check.text(data, (), "paused_notice")
    if out["state"] == AppealState.PAUSED and not out["paused_notice"]:
        check.fail(("paused_notice",), "a paused appeal needs the notice shown on its page")
    country = check.text(data, (), "country", allow_newlines=False)
    if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
        check.fail(("country",), "must be an ISO 3166 alpha-2 code such as KZ")
    out["country"] = country
    out["court"] = check.text(data, (), "court", max_len=300, allow_newlines=False)
    out["body"] = check.text(data, (), "body") or ""
    out["organisation"] = _parse_organisation(check, data.get("organisation"))
    out["letter"] = _parse_letter(check, data.get("letter"))
    out["people"] = _parse_people(check, data)
    names = {p["name"] for p in out["people"]}
    out["charges"] = _parse_charges(check, data, names)
    out["events"] = _parse_events(check, data)
    out["sources"] = _parse_numbered(check, data, "sources", ("number", "title", "url"))
    out["demands"] = _parse_numbered(check, data, "demands", ("number", "authority", "post", "text"))
    out["recipients"] = _parse_recipients(check, data)
    _check_posts_exist(check, out)
    out["translations"] = _parse_translations(check, data.get("translations"), out)
    if check.problems:
        raise DataFileError(check.problems)
    return out


def _parse_organisation(check: _Checker, value: Any) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        check.fail(("organisation",), "must be a mapping with slug and name")
        return None
    path = ("organisation",)
    _check_unknown_keys(check, value, path, ("slug", "name", "website", "email", "address"))
    slug = check.text(value, path, "slug", required=True, allow_newlines=False)
    if slug and not SLUG_RE.match(slug):
        check.fail((*path, "slug"), "use lowercase letters, digits and hyphens")
    return {"slug": slug, "name": check.text(value, path, "name", required=True, max_len=200),
            "website": check.text(value, path, "website", allow_newlines=False),
            "email": check.text(value, path, "email", allow_newlines=False),
            "address": check.text(value, path, "address")}


def _parse_letter(check: _Checker, value: Any) -> dict:
    if value is None:
        return {"subject": None, "language": "en", "body": None}
    if not isinstance(value, dict):
        check.fail(("letter",), "must be a mapping with subject, language and body")
        return {"subject": None, "language": "en", "body": None}
    _check_unknown_keys(check, value, ("letter",), ("subject", "language", "body"))
    language = check.text(value, ("letter",), "language", allow_newlines=False) or "en"
    if language not in ("en", "ru", "kk"):
        check.fail(("letter", "language"), "must be en, ru or kk")
    return {"subject": check.text(value, ("letter",), "subject", max_len=300, allow_newlines=False),
            "language": language, "body": check.text(value, ("letter",), "body")}


def _parse_people(check: _Checker, data: dict) -> list[dict]:
    people = []
    for path, item in check.items(data, "people"):
        _check_unknown_keys(check, item, path, ("name", "role", "status", "description"))
        people.append({
            "name": check.text(item, path, "name", required=True, max_len=200, allow_newlines=False),
            "role": check.choice(item, path, "role", PersonRole),
            "status": check.choice(item, path, "status", CaseStatus),
            "description": check.text(item, path, "description") or "",
        })
    return people


def _parse_charges(check: _Checker, data: dict, names: set[str]) -> list[dict]:
    charges = []
    for path, item in check.items(data, "charges"):
        _check_unknown_keys(check, item, path, ("person", "code", "article", "label"))
        person = check.text(item, path, "person", allow_newlines=False)
        if person is not None and person not in names:
            check.fail((*path, "person"), f"{person!r} is not one of the people of the case")
        charges.append({
            "person": person,
            "code": check.text(item, path, "code", required=True, max_len=200),
            "article": check.text(item, path, "article", required=True, max_len=40),
            "label": check.text(item, path, "label", required=True, max_len=300),
        })
    return charges


def _parse_events(check: _Checker, data: dict) -> list[dict]:
    events = []
    for path, item in check.items(data, "events"):
        _check_unknown_keys(check, item, path,
                            ("date", "kind", "title", "court", "description", "public"))
        when = item.get("date")
        if not isinstance(when, date):
            check.fail((*path, "date"), "must be a date written YYYY-MM-DD")
        public = item.get("public", True)
        if not isinstance(public, bool):
            check.fail((*path, "public"), "must be true or false")
        events.append({
            "date": when, "kind": check.choice(item, path, "kind", EventKind),
            "title": check.text(item, path, "title", required=True, max_len=300),
            "court": check.text(item, path, "court", max_len=300),
            "description": check.text(item, path, "description") or "", "public": public is True,
        })
    return events


def _parse_numbered(check: _Checker, data: dict, key: str, fields: tuple) -> list[dict]:
    rows, seen = [], set()
    for path, item in check.items(data, key):
        _check_unknown_keys(check, item, path, fields)
        number = item.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 9999:
            check.fail((*path, "number"), "must be a whole number from 1 to 9999")
        elif number in seen:
            check.fail((*path, "number"), f"number {number} is used twice")
        else:
            seen.add(number)
        row = {"number": number}
        for name in fields[1:]:
            required = name in ("authority", "text")
            row[name] = check.text(item, path, name, required=required)
        if key == "sources" and row.get("url") and not re.match(r"^https?://", row["url"]):
            check.fail((*path, "url"), "must start with http:// or https://")
        rows.append(row)
    return rows


def _parse_recipients(check: _Checker, data: dict) -> list[dict]:
    rows, seen = [], set()
    for path, item in check.items(data, "recipients"):
        _check_unknown_keys(check, item, path, ("post", "role"))
        post = check.text(item, path, "post", required=True, allow_newlines=False)
        if post in seen:
            check.fail((*path, "post"), f"{post} is listed twice")
        seen.add(post)
        rows.append({"post": post, "role": check.choice(item, path, "role", RecipientRole, "to")})
    return rows


def _parse_translations(check: _Checker, value: Any, out: dict) -> dict | None:
    """`translations:` {language: fields}, in the export's form (see app/appeals/translations.py)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        check.fail(("translations",), "must be a mapping of language codes (ru, kk, en) to fields")
        return None
    result = {}
    for language, fields in value.items():
        path = ("translations", language)
        if language not in tr.LANGUAGES:
            check.fail(path, f"unknown language code {language!r} "
                             f"(expected one of: {', '.join(tr.LANGUAGES)})")
            continue
        if not isinstance(fields, dict):
            check.fail(path, f"must be a mapping of fields ({', '.join(tr.FIELDS)})")
            continue
        _check_unknown_keys(check, fields, path, tr.FIELDS)
        entry: dict[str, Any] = {}
        for key in tr.TEXT_FIELDS:
            one_line = key != "summary"
            text = check.text(fields, path, key, max_len=300 if one_line else None,
                              allow_newlines=not one_line)
            if text:
                entry[key] = text
        people = _parse_translated_people(check, fields.get("people"), path, len(out["people"]))
        charges = _parse_translated_charges(check, fields.get("charges"), path,
                                            {c["article"] for c in out["charges"]})
        demands = _parse_translated_demands(check, fields.get("demands"), path,
                                            {d["number"] for d in out["demands"]})
        for key, parsed in (("people", people), ("charges", charges), ("demands", demands)):
            if parsed:
                entry[key] = parsed
        if entry:
            result[language] = entry
    return result or None


def _parse_translated_people(check: _Checker, value: Any, path: tuple, count: int) -> list[dict]:
    if value is None:
        return []
    path = (*path, "people")
    if not isinstance(value, list):
        check.fail(path, "must be a list of {name: …}, in the order of the appeal's people")
        return []
    people = []
    for i, item in enumerate(value):
        if i >= count:
            check.fail((*path, i), f"the appeal has {count} people: there is no person {i + 1}")
            continue
        if not isinstance(item, dict):
            check.fail((*path, i), "must be a mapping with name")
            continue
        _check_unknown_keys(check, item, (*path, i), ("name",))
        people.append({"name": check.text(item, (*path, i), "name", required=True, max_len=200,
                                          allow_newlines=False)})
    return people


def _parse_translated_charges(check: _Checker, value: Any, path: tuple,
                              articles: set[str | None]) -> dict:
    if value is None:
        return {}
    path = (*path, "charges")
    if not isinstance(value, dict):
        check.fail(path, "must be a mapping from a charge's article to its code, article and label")
        return {}
    charges = {}
    for article, item in value.items():
        here = (*path, article)
        if str(article) not in articles:
            check.fail(here, f"the appeal has no charge under article {article!r}")
            continue
        if not isinstance(item, dict):
            check.fail(here, "must be a mapping with code, article and label")
            continue
        _check_unknown_keys(check, item, here, ("code", "article", "label"))
        fields = {"code": check.text(item, here, "code", max_len=200, allow_newlines=False),
                  "article": check.text(item, here, "article", max_len=40, allow_newlines=False),
                  "label": check.text(item, here, "label", max_len=300, allow_newlines=False)}
        fields = {key: text for key, text in fields.items() if text}
        if fields:
            charges[str(article)] = fields
    return charges


def _parse_translated_demands(check: _Checker, value: Any, path: tuple, numbers: set) -> dict:
    if value is None:
        return {}
    path = (*path, "demands")
    if not isinstance(value, dict):
        check.fail(path, "must be a mapping from a demand's number to its authority and text")
        return {}
    demands = {}
    for key, item in value.items():
        here = (*path, key)
        number = int(key) if isinstance(key, str) and key.isdigit() else key
        if number not in numbers:
            check.fail(here, f"the appeal has no demand number {key}")
            continue
        if not isinstance(item, dict):
            check.fail(here, "must be a mapping with authority and text")
            continue
        _check_unknown_keys(check, item, here, ("authority", "text"))
        # Both, so that a letter never shows a translated demand under an untranslated heading.
        demands[number] = {"authority": check.text(item, here, "authority", required=True),
                           "text": check.text(item, here, "text", required=True)}
    return demands


def _check_posts_exist(check: _Checker, out: dict) -> None:
    wanted = {r["post"] for r in out["recipients"] if r["post"]} | {
        d["post"] for d in out["demands"] if d.get("post")}
    known = set(db.session.scalars(select(Post.slug).where(Post.slug.in_(wanted)))) if wanted else set()
    for i, recipient in enumerate(out["recipients"]):
        if recipient["post"] and recipient["post"] not in known:
            check.fail(("recipients", i, "post"),
                       f"no post {recipient['post']!r} in the directory (import recipients/ first)")
    for i, demand in enumerate(out["demands"]):
        if demand.get("post") and demand["post"] not in known:
            check.fail(("demands", i, "post"), f"no post {demand['post']!r} in the directory")


# --- Import -----------------------------------------------------------------------------------


def import_appeal_file(path: Path) -> ImportResult:
    """Validate and import one YAML file. Commits; raises DataFileError and then changes nothing."""
    return import_appeal_document(load_file(path))


def import_appeal_text(text: str, name: str = "<text>") -> ImportResult:
    return import_appeal_document(load_located(text, name))


def import_appeal_document(doc: Located) -> ImportResult:
    values = parse_appeal(doc)
    appeal = db.session.scalar(select(Appeal).where(Appeal.slug == values["slug"]))
    if appeal is not None and _same(appeal, values):
        return ImportResult(values["slug"], "unchanged")
    action = "updated" if appeal is not None else "created"
    try:
        with db.session.no_autoflush:
            if appeal is None:
                appeal = Appeal(slug=values["slug"])
                db.session.add(appeal)
            _apply(appeal, values)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportResult(values["slug"], action)


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
    appeal.body_md = v["body"]
    appeal.group = _group(v["organisation"])
    appeal.letter_subject = v["letter"]["subject"]
    appeal.letter_language = v["letter"]["language"]
    appeal.letter_body = v["letter"]["body"]
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
    appeal.events.extend(CaseEvent(**e) for e in v["events"])
    appeal.sources.extend(Source(**s) for s in v["sources"])
    for d in v["demands"]:
        appeal.demands.append(Demand(number=d["number"], authority=d["authority"], text=d["text"],
                                     post=posts.get(d["post"]) if d["post"] else None))
    for i, r in enumerate(v["recipients"]):
        appeal.recipients.append(AppealRecipient(post=posts[r["post"]], role=r["role"], position=i))
