"""The editor's form without JavaScript: lists that grow and shrink with submit buttons, the
directory search, choices that follow what was typed.

Every button of the form is `<button name="action" value="…">`: `save`, `body-preview`, `search`,
`pick` (add the ticked posts), `add:<list>` and `remove:<list>:<position>`. A list button
re-renders the form from what was sent, changed by that one step; nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.appeal_editor.document import BLANK_ROWS, LIST_FIELDS, to_form_data
from app.appeal_editor.forms import AppealEditorForm
from app.appeal_editor.service import allowed_groups
from app.directory.service import search_posts
from app.extensions import db
from app.forms_common import country_select_choices
from app.languages import CODES
from app.models import Appeal, Post, User

_ACTION = re.compile(r"^(save|body-preview|search|pick|add:(\w+)|remove:(\w+):(\d{1,4}))$")
SEARCH_LIMIT = 25
# A translation's lists follow these lists of the appeal, by position.
_FOLLOWED = ("people", "charges", "demands")


@dataclass
class Step:
    """One round of the editor: the form to show and what the pressed button asked for."""

    form: AppealEditorForm
    action: str | None = None
    found: list[Post] = field(default_factory=list)


def parse_action(value: str | None) -> tuple[str, str | None, int | None] | None:
    """("remove", "people", 2) for "remove:people:2"; None for anything that is not a button."""
    found = _ACTION.match(value or "")
    if not found:
        return None
    verb, added, removed, index = found.group(1).split(":")[0], found.group(2), found.group(3), found.group(4)
    kind = added or removed
    if kind is not None and kind not in LIST_FIELDS:
        return None
    return verb, kind, int(index) if index is not None else None


def blank_data(user: User) -> dict[str, Any]:
    """A new appeal: nothing typed, the user's own group, English letters."""
    return {"letter_language": "en", "group": str(user.group_id or ""),
            **{name: [] for name in LIST_FIELDS}}


def first_form(user: User, appeal: Appeal | None) -> AppealEditorForm:
    """The form as a GET shows it: the stored appeal, or a blank one."""
    data = to_form_data(appeal) if appeal is not None else blank_data(user)
    return prepare(AppealEditorForm(formdata=None, data=data), user)


def step(form: AppealEditorForm, user: User, action: str | None, picked: list[str]) -> Step:
    """Apply a list button to the sent form; `save` and previews leave it as sent."""
    parsed = parse_action(action)
    verb = parsed[0] if parsed else None
    if verb in ("add", "remove", "pick"):
        data = changed(form.data, parsed, picked)
        form = AppealEditorForm(formdata=None, data=data)
    prepare(form, user)
    return Step(form, verb, found=_search(form.recipient_query.data))


def changed(data: dict[str, Any], parsed: tuple, picked: list[str]) -> dict[str, Any]:
    """`data` after one add / remove / pick button."""
    data = {key: value for key, value in data.items() if key != "csrf_token"}
    verb, kind, index = parsed
    if verb == "add":
        data[kind].append(_new_row(kind, data))
    elif verb == "remove" and index < len(data[kind]):
        del data[kind][index]
        if kind in _FOLLOWED:
            for entry in data["translations"]:
                if index < len(entry[kind]):
                    del entry[kind][index]
    elif verb == "pick":
        present = {r["post"] for r in data["recipients"]}
        data["recipients"] += [{"post": slug, "role": "to"} for slug in dict.fromkeys(picked)
                               if slug not in present]
    return data


def _new_row(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == "translations":
        used = {data["letter_language"], *(e["language"] for e in data["translations"])}
        language = next((code for code in CODES if code not in used), CODES[0])
        return {"language": language, "people": [], "charges": [], "demands": []}
    row = dict(BLANK_ROWS.get(kind, {}))
    if "number" in row:
        numbers = [int(r["number"]) for r in data[kind] if str(r.get("number") or "").isdecimal()]
        row["number"] = str(max(numbers, default=0) + 1)
    return row


def _search(query: str | None) -> list[Post]:
    return search_posts(query, limit=SEARCH_LIMIT) if query else []


# --- Choices that follow what was typed ----------------------------------------------------------


def prepare(form: AppealEditorForm, user: User) -> AppealEditorForm:
    """Set the choices of every select and line the translations up with the appeal's lists."""
    groups = allowed_groups(user)
    form.group.choices = ([SelectChoice("", _("none (Appeal Desk)"))] if user.role == "admin" else []) + \
        [SelectChoice(str(g.id), g.name) for g in groups]
    form.country.choices = list(country_select_choices(_("Not given")))
    names = [p.form.name.data for p in form.people if p.form.name.data]
    for charge in form.charges:
        people = [SelectChoice("", _("the whole case")), *(SelectChoice(n, n) for n in names)]
        charge.form.person.choices = _with_current(people, charge.form.person.data)
    form.post_labels = _post_labels([r.form.post.data for r in form.recipients]
                                    + [d.form.post.data for d in form.demands])
    posts = [SelectChoice(r.form.post.data, form.post_labels.get(r.form.post.data, r.form.post.data))
             for r in form.recipients]
    for demand in form.demands:
        demand.form.post.choices = _with_current([SelectChoice("", _("none")), *posts], demand.form.post.data)
    for entry in form.translations:
        for kind in _FOLLOWED:
            _resize(entry.form[kind], len(form[kind].entries))
    return form


def _with_current(choices: list[SelectChoice], current: str | None) -> list[SelectChoice]:
    """Keep a value that is no longer offered (a renamed person), so the error can name it."""
    if current and all(c.value != current for c in choices):
        choices.append(SelectChoice(current, current))
    return choices


def _resize(entries: Any, length: int) -> None:
    while len(entries.entries) < length:
        entries.append_entry()
    while len(entries.entries) > length:
        entries.pop_entry()


def _post_labels(slugs: list[str]) -> dict[str, str]:
    wanted = {s for s in slugs if s}
    if not wanted:
        return {}
    posts = db.session.scalars(select(Post).where(Post.slug.in_(wanted)))
    return {p.slug: f"{p.label} — {p.organization.name}" for p in posts}
