"""An appeal's public text in the reader's language, where the appeal has that translation.

Translations (Appeal.translations, see app/appeals/translations.py) cover the title, summary,
court, people's names, charges and demands; the body, the timeline and the sources stay in the
appeal's own language. `parts_in_other_language` lists what the page shows untranslated, so the
page can say so plainly instead of mixing languages silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from app.appeals.translations import bare_article, reader_translation

ROLE_LABELS = {
    "journalist": _l("journalist"),
    "blogger": _l("blogger"),
    "activist": _l("activist"),
    "trade_unionist": _l("trade unionist"),
    "human_rights_defender": _l("human rights defender"),
    "other": _l("other"),
}
STATE_LABELS = {
    "draft": _l("draft"),
    "open": _l("open"),
    "paused": _l("paused"),
    "closed": _l("closed"),
}
# How a closed appeal's case ended (AppealOutcome), as the public page says it.
OUTCOME_LABELS = {
    "released": _l("Released"),
    "sentence_reduced": _l("Sentence reduced"),
    "case_dropped": _l("Case dropped"),
    "no_change": _l("No change"),
}
STATUS_LABELS = {
    "imprisoned": _l("imprisoned"),
    "suspended_sentence": _l("suspended sentence"),
    "restricted_freedom": _l("restricted freedom"),
    "on_trial": _l("on trial"),
    "psychiatric_detention": _l("held in psychiatric detention"),
    "abroad_at_risk": _l("abroad, at risk"),
    "released": _l("released"),
}

# The kinds of case events (EventKind), in the page language: the editor, the delivery page.
EVENT_LABELS = {
    "arrest": _l("arrest"), "charge": _l("charge"), "hearing": _l("hearing"), "verdict": _l("verdict"),
    "appeal": _l("appeal"), "appeal_rejected": _l("appeal rejected"), "release": _l("release"),
    "reply_received": _l("reply received"), "other": _l("other"),
}


def event_label(kind: str) -> str:
    """A case event's kind in the page language."""
    return str(EVENT_LABELS.get(kind, kind.replace("_", " ")))


def role_label(role: str) -> str:
    """A person's role in the page language."""
    return str(ROLE_LABELS.get(role, role.replace("_", " ")))


def outcome_label(outcome: str) -> str:
    """A closed case's outcome in the page language."""
    return str(OUTCOME_LABELS.get(outcome, outcome.replace("_", " ")))


def status_label(status: str) -> str:
    """A person's case status in the page language."""
    return str(STATUS_LABELS.get(status, status.replace("_", " ")))


@dataclass
class AppealText:
    """What the public page prints, each part in the reader's language when available."""

    language: str  # the language most of the text below is in
    own_language: str  # the appeal's own language (body, timeline, sources)
    title: str
    summary: str
    court: str | None
    organisation: str | None = None  # the running group's name, translated where the appeal has it
    person_names: dict[int, str] = field(default_factory=dict)  # CasePerson.id -> name
    charges: dict[int, dict] = field(default_factory=dict)  # Charge.id -> code/article/label
    demands: dict[int, dict] = field(default_factory=dict)  # Demand.id -> authority/text
    parts_in_other_language: list[str] = field(default_factory=list)


def _pick(own: str | None, translated: str | None, missing: list[str], part: str) -> str | None:
    if translated:
        return translated
    if own:
        missing.append(part)
    return own


def appeal_text(appeal: Any, language: str) -> AppealText:
    """The appeal's title, summary, court, names, charges and demands in `language` (else, for
    Kazakh, Russian; else the appeal's own text), and the parts left in another language."""
    own_language = appeal.letter_language or "en"
    fields, shown = reader_translation(appeal, language)
    group_name = appeal.group.name if appeal.group else None
    if language == own_language or not fields:
        return AppealText(own_language, own_language, appeal.title, appeal.summary, appeal.court,
                          organisation=group_name,
                          parts_in_other_language=[] if language == own_language else ["all"])
    missing: list[str] = []
    text = AppealText(shown, own_language,
                      title=_pick(appeal.title, fields.get("title"), missing, "title"),
                      summary=_pick(appeal.summary, fields.get("summary"), missing, "summary"),
                      court=_pick(appeal.court, fields.get("court"), missing, "court"),
                      organisation=fields.get("organisation") or group_name)
    people = fields.get("people") or []
    for index, person in enumerate(appeal.people):
        name = people[index].get("name") if index < len(people) else None
        text.person_names[person.id] = name or person.name
    charges = fields.get("charges") or {}
    for charge in appeal.charges:
        entry = charges.get(charge.article) or {}
        text.charges[charge.id] = {key: entry.get(key) or getattr(charge, key)
                                   for key in ("code", "article", "label")}
        text.charges[charge.id]["article"] = bare_article(text.charges[charge.id]["article"])
        if not entry.get("label"):
            missing.append("charges")
    demands = fields.get("demands") or {}
    for demand in appeal.demands:
        entry = demands.get(str(demand.number)) or {}
        text.demands[demand.id] = {key: entry.get(key) or getattr(demand, key)
                                   for key in ("authority", "text")}
        if not entry.get("text"):
            missing.append("demands")
    if shown != language:
        missing.insert(0, "fallback")
    text.parts_in_other_language = list(dict.fromkeys(missing))
    return text
