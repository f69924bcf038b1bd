"""What is wrong in a data file, said as `file:line: field: message` in plain language.

Schema errors come from pydantic; `problems_from` turns each into a Problem, taking the line from
the file's line map and replacing pydantic's wording ("Input should be a valid string") with what
a coordinator editing the file needs to read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any, get_args

from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from app.datafiles.loader import Located


@dataclass
class Problem:
    """One thing wrong in a data file."""

    file: str
    line: int | None
    field: str
    message: str
    # The field as a path (("people", 0, "name")), for callers that show the message next to
    # the field it is about (the browser's appeal editor) rather than as text.
    path: tuple = dataclass_field(default=(), compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return _escape_controls(text)  # one problem, one line, whatever the file held


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _escape_controls(text: str) -> str:
    return _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def shown(value: object, limit: int = 60) -> str:
    """A value quoted in a message: control characters escaped, long text cut."""
    text = _escape_controls(str(value))
    return text if len(text) <= limit else text[:limit] + "…"


class DataFileError(Exception):
    """A file that is not valid; `problems` lists every error found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class At(ValueError):
    """A validator's complaint about a part of the value it checks: `At(message, "holders", 2)`
    is reported at `<the value>.holders[2]` (pydantic itself would blame the whole value)."""

    def __init__(self, message: str, *path: Any):
        super().__init__(message)
        self.path = path


class Several(ValueError):
    """More than one complaint from one validator (each an `At`)."""

    def __init__(self, complaints: list[At]):
        super().__init__("; ".join(str(c) for c in complaints))
        self.complaints = complaints


def dotted(path: Iterable[Any]) -> str:
    """("people", 0, "name") -> "people[0].name"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """" (did you mean 'kz-president'?)", or "" when nothing is close."""
    close = difflib.get_close_matches(str(word)[:200], list(candidates), n=1, cutoff=0.75)
    return _(" (did you mean '%(word)s'?)", word=close[0]) if close else ""


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The schema model inside an annotation such as `list[Post] | None` or `dict[str, Name]`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in reversed(get_args(annotation)):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def field_names_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The fields the schema allows where `loc` (ending with the unknown key) points."""
    current = model
    for part in loc[:-1]:
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is not None:
            current = _model_in(field.annotation) or current
    return list(current.model_fields)


def _kind_of(value: Any) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping of fields")
    return _("empty") if value is None else _("text")


def _message(error: dict, model: type[BaseModel], loc: tuple) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing" or (kind == "string_type" and value is None):
        return _("is required")
    if kind == "extra_forbidden":
        names = field_names_at(model, loc)
        return _("unknown field (expected one of: %(names)s)", names=", ".join(names)) + \
            did_you_mean(loc[-1], names)
    if kind == "string_type":
        return _("must be text, not %(kind)s", kind=_kind_of(value))
    if kind in ("string_too_long", "too_long"):
        return _("is longer than %(n)s characters", n=ctx.get("max_length"))
    if kind == "list_type":
        return _("must be a list, not %(kind)s", kind=_kind_of(value))
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("must be a mapping of fields (name: value), not %(kind)s", kind=_kind_of(value))
    return str(ctx.get("error") or error["msg"])


def _located(error: dict) -> list[tuple[tuple, str | None]]:
    """(extra path, message) pairs of one error; `At` and `Several` carry their own paths."""
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, Several):
        return [(c.path, str(c)) for c in cause.complaints]
    if isinstance(cause, At):
        return [(cause.path, str(cause))]
    return [((), None)]


def problems_from(error: ValidationError, doc: Located, model: type[BaseModel],
                  prefix: tuple = ()) -> list[Problem]:
    """The plain-language Problems of a pydantic error on (part of) a located document."""
    problems = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if part != "[key]")
        for extra, message in _located(item):
            path = (*prefix, *loc, *extra)
            text = message or _message(item, model, loc)
            problems.append(Problem(doc.file, doc.line(*path), dotted(path), text, path))
    return problems
