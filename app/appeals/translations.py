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
language, or when its translation has everything a letter prints: the title, the summary, the
court (when the appeal names one), every person's name, every charge's code and label and every
demand (authority and text). Only then can a whole letter be written in it without falling back
to the appeal's own text; `missing_parts` says what is still missing. (The running group's name
is the sender's own and may stay in one form.)
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from app.languages import CODES as LANGUAGES
from app.languages import FALLBACK as FALLBACK_LANGUAGE

TEXT_FIELDS = ("title", "summary", "subject", "court", "organisation")
FIELDS = (*TEXT_FIELDS, "people", "charges", "demands")


# The word "article" as translations write it before or after the number ("ст. 130", "130-бап").
_ARTICLE_WORD = re.compile(r"(?P<part>.*?)\s*\b(?:ст\.|статья|статьи|article|art\.)\s*(?P<rest>.+)",
                           re.IGNORECASE)
_TRAILING_ARTICLE_WORD = re.compile(r"\s*-?\s*бап$", re.IGNORECASE)


def bare_article(article: str) -> str:
    """The article as the page and letter wording ("Article %(article)s …") takes it: "ст. 130" ->
    "130", "ч. 4 ст. 274" -> "274, ч. 4", "130-бап" -> "130"; anything else unchanged."""
    text = _TRAILING_ARTICLE_WORD.sub("", article.strip())
    match = _ARTICLE_WORD.fullmatch(text)
    if match is None:
        return text or article
    part = match["part"].strip(" ,")
    return f"{match['rest']}, {part}" if part else match["rest"]


def translation(appeal: Any, language: str | None) -> dict:
    """The stored translation of `appeal` into `language` ({} when there is none)."""
    if not language:
        return {}
    return (appeal.translations or {}).get(language) or {}


def reader_translation(appeal: Any, language: str) -> tuple[dict, str]:
    """The translation a reader of `language` is shown, and its language: that language's, else
    (Kazakh) Russian's; ({}, language) when the appeal's own text serves."""
    own_language = appeal.letter_language or "en"
    fields = translation(appeal, language)
    fallback = FALLBACK_LANGUAGE.get(language)
    if not fields and fallback and fallback != own_language:
        return translation(appeal, fallback), fallback
    return fields, language


def title_and_organisation(appeal: Any, language: str | None) -> tuple[str, str | None]:
    """The appeal's title and its group's name as a reader of `language` sees them on the page
    (for the e-mails to signers). `appeal` needs .title, .translations, .letter_language, .group."""
    own_language = appeal.letter_language or "en"
    fields = {} if not language or language == own_language else reader_translation(appeal, language)[0]
    group_name = appeal.group.name if appeal.group else None
    return fields.get("title") or appeal.title, fields.get("organisation") or group_name


# What a letter prints from the appeal, as the coordinator's pages name what is untranslated.
PART_LABELS = {
    "title": _l("title"),
    "summary": _l("summary"),
    "court": _l("court"),
    "people": _l("people's names"),
    "charges": _l("charges (code and label)"),
    "demands": _l("demands (addressee and text)"),
}


def _all_have(entries: dict, keys: list[str], fields: tuple[str, ...]) -> bool:
    return all((entries.get(key) or {}).get(name) for key in keys for name in fields)


def missing_parts(appeal: Any, language: str) -> list[str]:
    """The parts (PART_LABELS keys) a letter in `language` would print in the appeal's own
    language for want of a translation; [] for the appeal's own language."""
    if language == (appeal.letter_language or "en"):
        return []
    fields = translation(appeal, language)
    people = fields.get("people") or []
    complete = {
        "title": bool(fields.get("title")),
        "summary": bool(fields.get("summary")),
        "court": bool(fields.get("court") or not appeal.court),
        "people": len(people) >= len(appeal.people) and all(p.get("name") for p in people),
        "charges": _all_have(fields.get("charges") or {}, [c.article for c in appeal.charges],
                             ("code", "label")),
        "demands": _all_have(fields.get("demands") or {}, [str(d.number) for d in appeal.demands],
                             ("authority", "text")),
    }
    return [part for part, done in complete.items() if not done]


def is_available(appeal: Any, language: str | None) -> bool:
    """True when a whole letter can be written in `language` (see the module docstring)."""
    return bool(language) and not missing_parts(appeal, language)


def available_languages(appeal: Any) -> list[str]:
    """The languages a whole letter of `appeal` can be written in, own language first."""
    own = appeal.letter_language or "en"
    return [own, *(lang for lang in LANGUAGES if lang != own and is_available(appeal, lang))]


def incomplete_languages(appeal: Any) -> dict[str, list[str]]:
    """{language: labels of its missing parts} for each started but incomplete translation."""
    return {language: [str(PART_LABELS[part]) for part in missing]
            for language in LANGUAGES if translation(appeal, language)
            and (missing := missing_parts(appeal, language))}


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
