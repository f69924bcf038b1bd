"""An appeal's letter text in other languages (Appeal.translations, one JSON value).

Stored as {language: fields}; the fields, all optional:

    title, summary, subject, court                      text
    organisation                                        the running group's name (letterhead,
                                                        "… appeals to you"), in this language
    people:  [{"name": …}, …]                           by position, as the appeal's people
    charges: {"<article>": {"code", "article", "label"}} by the article of the appeal's charge
    demands: {"<number>": {"authority", "text"}}        by the number of the appeal's demand

Demand numbers are string keys in storage (JSON objects have string keys) and whole numbers in
the YAML export. A language is *available* for letters when it is the appeal's own letter
language, or when its translation has a title, a summary and every demand (authority and text):
only then can a whole letter be written in it without falling back to the appeal's own text.
"""

from __future__ import annotations

from typing import Any

from app.languages import CODES as LANGUAGES
from app.languages import FALLBACK as FALLBACK_LANGUAGE

TEXT_FIELDS = ("title", "summary", "subject", "court", "organisation")
FIELDS = (*TEXT_FIELDS, "people", "charges", "demands")


def translation(appeal: Any, language: str | None) -> dict:
    """The stored translation of `appeal` into `language` ({} when there is none)."""
    if not language:
        return {}
    return (appeal.translations or {}).get(language) or {}


def is_available(appeal: Any, language: str | None) -> bool:
    """True when a whole letter can be written in `language` (see the module docstring)."""
    if not language:
        return False
    if language == (appeal.letter_language or "en"):
        return True
    fields = translation(appeal, language)
    if not (fields.get("title") and fields.get("summary")):
        return False
    demands = fields.get("demands") or {}
    for demand in appeal.demands:
        entry = demands.get(str(demand.number)) or {}
        if not (entry.get("text") and entry.get("authority")):
            return False
    return True


def available_languages(appeal: Any) -> list[str]:
    """The languages a whole letter of `appeal` can be written in, own language first."""
    own = appeal.letter_language or "en"
    return [own, *(lang for lang in LANGUAGES if lang != own and is_available(appeal, lang))]


def content_translation(appeal: Any, language: str) -> dict:
    """The translation a letter in `language` takes its text from: its own, else for Kazakh the
    Russian one; {} means the appeal's own text."""
    own = translation(appeal, language)
    if own:
        return own
    fallback = FALLBACK_LANGUAGE.get(language)
    if fallback and fallback != (appeal.letter_language or "en"):
        return translation(appeal, fallback)
    return {}


# --- Between storage (JSON) and the YAML export -------------------------------------------------


def to_export(appeal: Any) -> dict | None:
    """The translations in the YAML export's canonical order (None when there are none)."""
    stored = appeal.translations or {}
    articles = list(dict.fromkeys(c.article for c in appeal.charges))
    out: dict[str, Any] = {}
    for language in sorted(stored, key=lambda lang: (LANGUAGES + (lang,)).index(lang)):
        fields = stored[language] or {}
        entry: dict[str, Any] = {key: fields[key] for key in TEXT_FIELDS if fields.get(key)}
        if fields.get("people"):
            entry["people"] = [{"name": p.get("name")} for p in fields["people"]]
        if fields.get("charges"):
            charges = fields["charges"]
            order = [a for a in articles if a in charges] + [a for a in charges if a not in articles]
            entry["charges"] = {
                article: {key: charges[article][key] for key in ("code", "article", "label")
                          if charges[article].get(key)}
                for article in order
            }
        if fields.get("demands"):
            demands = fields["demands"]
            entry["demands"] = {
                int(number): {key: demands[number][key] for key in ("authority", "text")
                              if demands[number].get(key)}
                for number in sorted(demands, key=int)
            }
        if entry:
            out[language] = entry
    return out or None


def to_storage(exported: dict | None) -> dict | None:
    """The parsed YAML form (whole-number demand keys) as stored JSON (string keys)."""
    if not exported:
        return None
    stored = {}
    for language, fields in exported.items():
        entry = dict(fields)
        if "demands" in entry:
            entry["demands"] = {str(number): dict(d) for number, d in entry["demands"].items()}
        stored[language] = entry
    return stored
