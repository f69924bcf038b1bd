"""Between the editor's form and the appeal file's shape (what `flask appeals import` reads).

`to_form_data` fills the form from a stored appeal (through the export, app.appeals.files
.appeal_to_dict); `to_document` turns what was typed back into that dict, which the file
importer's own validation then checks. Both sides of the round trip are the file format.
"""

from __future__ import annotations

from typing import Any

from app.appeals.files import appeal_to_dict
from app.models import Appeal, Group

LIST_FIELDS = ("people", "charges", "events", "sources", "demands", "recipients", "translations")
# The blank row each "Add another…" button appends.
BLANK_ROWS: dict[str, dict[str, Any]] = {
    "people": {"name": "", "role": "journalist", "status": "imprisoned", "description": ""},
    "charges": {"person": "", "code": "", "article": "", "label": ""},
    "events": {"date": "", "kind": "hearing", "title": "", "court": "", "description": "", "public": True},
    "sources": {"number": "", "title": "", "url": ""},
    "demands": {"number": "", "authority": "", "post": "", "text": ""},
}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _translation_rows(language: str, fields: dict, appeal: dict) -> dict:
    charges, demands = fields.get("charges") or {}, fields.get("demands") or {}
    people = fields.get("people") or []
    return {
        "language": language,
        **{key: _text(fields.get(key)) for key in ("title", "summary", "subject", "court", "organisation")},
        "people": [_text(people[i].get("name")) if i < len(people) else ""
                   for i in range(len(appeal["people"]))],
        "charges": [{key: _text((charges.get(c["article"]) or {}).get(key))
                     for key in ("code", "article", "label")} for c in appeal["charges"]],
        "demands": [{key: _text((demands.get(d["number"]) or {}).get(key)) for key in ("authority", "text")}
                    for d in appeal["demands"]],
    }


def to_form_data(appeal: Appeal) -> dict[str, Any]:
    """The form's data for a stored appeal."""
    stored = appeal_to_dict(appeal)
    letter = stored["letter"]
    return {
        **{key: _text(stored[key]) for key in ("slug", "title", "summary", "body", "court", "country")},
        "group": str(appeal.group_id or ""),
        "letter_subject": _text(letter["subject"]), "letter_language": letter["language"] or "en",
        "people": [{k: _text(v) for k, v in p.items()} for p in stored["people"]],
        "charges": [{k: _text(v) for k, v in c.items()} for c in stored["charges"]],
        "events": [{**{k: _text(v) for k, v in e.items()}, "public": e["public"]} for e in stored["events"]],
        "sources": [{k: _text(v) for k, v in s.items()} for s in stored["sources"]],
        "demands": [{k: _text(v) for k, v in d.items()} for d in stored["demands"]],
        "recipients": [dict(r) for r in stored["recipients"]],
        "translations": [_translation_rows(language, fields, stored)
                         for language, fields in (stored.get("translations") or {}).items()],
    }


def _or_none(value: Any) -> Any:
    return None if value in ("", None) else value


def _organisation(group: Group | None) -> dict | None:
    if group is None:
        return None
    return {"slug": group.slug, "name": group.name, "website": group.website, "email": group.email,
            "address": group.postal_address}


def _translation(entry: dict, data: dict) -> dict:
    """One translation in the file's shape: charges keyed by article, demands by number, blanks left out."""
    out: dict[str, Any] = {key: entry[key] for key in ("title", "summary", "subject", "court", "organisation")
                           if entry.get(key)}
    names = list(entry.get("people") or [])
    while names and not names[-1]:
        names.pop()  # trailing blanks: the people keep their own names
    if names:
        out["people"] = [{"name": name or None} for name in names]
    charges: dict[str, dict] = {}
    for charge, text in zip(data["charges"], entry.get("charges") or [], strict=False):
        filled = {key: value for key, value in text.items() if value}
        if filled and charge.get("article"):
            charges.setdefault(charge["article"], filled)
    if charges:
        out["charges"] = charges
    demands = {demand["number"]: {key: text.get(key) or None for key in ("authority", "text")}
               for demand, text in zip(data["demands"], entry.get("demands") or [], strict=False)
               if any(text.values())}
    if demands:
        out["demands"] = demands
    return out


def to_document(data: dict[str, Any], stored: Appeal | None, group: Group | None) -> dict[str, Any]:
    """What was typed, as the dict an appeal file parses to. What the editor does not show (state,
    paused notice, letter body) is carried over from the stored appeal."""
    return {
        "slug": data["slug"], "title": data["title"],
        "state": stored.state if stored is not None else "draft",
        "summary": data["summary"], "paused_notice": stored.paused_notice if stored is not None else None,
        "country": _or_none(data["country"]), "court": _or_none(data["court"]),
        "organisation": _organisation(group),
        "letter": {"subject": _or_none(data["letter_subject"]), "language": data["letter_language"],
                   "body": stored.letter_body if stored is not None else None},
        "letter_requests": stored.letter_requests if stored is not None else None,
        "people": [{k: _or_none(v) for k, v in p.items()} for p in data["people"]],
        "charges": [{k: _or_none(v) for k, v in c.items()} for c in data["charges"]],
        "events": [{k: _or_none(v) for k, v in e.items()} for e in data["events"]],
        "sources": [{k: _or_none(v) for k, v in s.items()} for s in data["sources"]],
        "demands": [{k: _or_none(v) for k, v in d.items()} for d in data["demands"]],
        "recipients": [{"post": r["post"], "role": r["role"]} for r in data["recipients"]],
        "body": data["body"],
        "translations": {entry["language"]: _translation(entry, data)
                         for entry in data["translations"]} or None,
    }
