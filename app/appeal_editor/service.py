"""Saving an appeal written in the browser, through the appeal file importer's own validation.

The form becomes the dict an appeal file parses to (app.appeal_editor.document); the importer's
`parse_appeal` checks it with the file schema and the directory, and `store_appeal` writes it in
one transaction. Every problem is put back next to the field it is about, so nothing typed is lost
and nothing stored is half changed.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import Field, FieldList, FormField

from app.appeal_editor.document import to_document
from app.appeal_editor.forms import AppealEditorForm
from app.appeals.files import parse_appeal, store_appeal
from app.datafiles.errors import DataFileError, Problem
from app.datafiles.loader import Located
from app.extensions import db
from app.models import Appeal, Group, User
from app.models.enums import AppealState

# Words the editor's own addresses use after /coordinator/appeals/.
RESERVED_SLUGS = frozenset({"new"})
# File fields with another name in the form.
_FORM_NAMES = {"organisation": "group", "letter": None}


def allowed_groups(user: User) -> list[Group]:
    """The groups `user` may run an appeal for: any for an admin, else their own."""
    if user.role == "admin":
        return list(db.session.scalars(select(Group).order_by(Group.name)))
    return [user.group] if user.group is not None else []


def chosen_group(form: AppealEditorForm, user: User) -> Group | None:
    """The group picked in the form, if `user` may pick it (the form's choices already say so)."""
    wanted = form.group.data or ""
    return next((g for g in allowed_groups(user) if str(g.id) == wanted), None)


def save(form: AppealEditorForm, stored: Appeal | None, user: User, *, valid: bool) -> Appeal | None:
    """Validate and store the form (a new appeal is a draft); `valid` is the form's own check.
    Commits and returns the appeal; None when anything is wrong, with every message on its
    field and nothing stored."""
    data = form.data
    document = to_document(data, stored, chosen_group(form, user))
    problems = _form_problems(form, data, stored)
    try:
        values = parse_appeal(Located(file="", data=document))
    except DataFileError as error:
        problems += error.problems
    if problems or not valid:
        attach(form, problems)
        return None
    try:
        appeal = store_appeal(stored, values)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return appeal


def publish(appeal: Appeal) -> None:
    """Open a draft for signatures. Commits."""
    appeal.state = AppealState.OPEN
    db.session.commit()


def _form_problems(form: AppealEditorForm, data: dict, stored: Appeal | None) -> list[Problem]:
    """What the file schema cannot know: the slug is free, a language is translated once."""
    problems = []
    slug = data["slug"]
    taken = db.session.scalar(select(Appeal.id).where(Appeal.slug == slug)) if slug else None
    if slug in RESERVED_SLUGS or (taken is not None and (stored is None or taken != stored.id)):
        message = _("another appeal already has the address '%(slug)s'", slug=slug)
        problems.append(_problem(("slug",), message))
    seen = set()
    for i, entry in enumerate(data["translations"]):
        if entry["language"] in seen:
            problems.append(_problem(("translations", i, "language"), _("this language is translated twice")))
        seen.add(entry["language"])
    if form.group.errors:
        problems.append(_problem(("group",), _("choose one of the groups you run appeals for")))
    return problems


def _problem(path: tuple, message: str) -> Problem:
    return Problem("", None, "", message, path)


# --- Messages back to fields --------------------------------------------------------------------


def attach(form: AppealEditorForm, problems: list[Problem]) -> None:
    """Put each problem's message on the field its path names (the nearest one that exists)."""
    form.general_errors = []
    for problem in problems:
        field, rest = _field_at(form, _form_path(problem.path))
        if field is None or isinstance(field, FieldList | FormField):
            where = ".".join(str(p) for p in problem.path)
            form.general_errors.append(f"{where}: {problem.message}" if where else problem.message)
        else:
            message = problem.message if not rest else f"{'.'.join(map(str, rest))}: {problem.message}"
            field.errors = [*field.errors, message]


def _form_path(path: tuple) -> tuple:
    if path and path[0] == "letter" and len(path) > 1:
        return (f"letter_{path[1]}", *path[2:])
    if path and path[0] in _FORM_NAMES:
        name = _FORM_NAMES[path[0]]
        return (name,) if name else ()
    return path


def _field_at(form: AppealEditorForm, path: tuple) -> tuple[Field | None, tuple]:
    """The field at `path`, and the part of the path below it that the form does not have."""
    node: Any = form
    for depth, part in enumerate(path):
        child = _child(form, node, part, path[:depth])
        if child is None:
            return (None if node is form else node), path[depth:]
        node = child
    return (None if node is form else node), ()


def _child(form: AppealEditorForm, node: Any, part: Any, above: tuple) -> Any:
    if isinstance(node, FormField):
        node = node.form
    if isinstance(node, FieldList):
        index = _index_in(form, node, part, above)
        return node.entries[index] if index is not None and index < len(node.entries) else None
    if isinstance(part, str) and hasattr(node, "_fields"):
        return node._fields.get(part)
    return None


def _index_in(form: AppealEditorForm, node: FieldList, part: Any, above: tuple) -> int | None:
    """A list position: a number; in translations a language code; in a translation's charges an
    article and in its demands a demand number (the keys the file uses)."""
    if above == ("translations",):
        return next((i for i, e in enumerate(node.entries) if e.form.language.data == part), None)
    if len(above) == 3 and above[0] == "translations" and above[2] in ("charges", "demands"):
        rows, key = (form.charges.data, "article") if above[2] == "charges" else (form.demands.data, "number")
        return next((i for i, row in enumerate(rows) if row[key] == str(part)), None)
    return part if isinstance(part, int) else None
