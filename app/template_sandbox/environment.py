"""The Jinja sandbox that runs letter templates, including the ones coordinators edit in the app.

A template sees only the documented variables (appeal, recipient, post, holder, signer,
signatories, organisation, date) and filters, autoescapes everything, fails on an undefined
name, may include only files under letter_templates/, and is stopped when it writes more than
LETTER_MAX_OUTPUT_CHARS or runs longer than LETTER_MAX_RENDER_S. Every failure is a
`LetterTemplateError(message, line)`: never a traceback, never Python internals.
"""

from __future__ import annotations

import operator
import os
import re
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2.filters import FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from app.languages import letter_locale
from app.template_sandbox.bounds import (
    BOUNDED_FILTERS,
    MAX_OUTPUT_CHARS,
    MAX_REPEAT,
    check_modulo,
    check_power,
    check_repeat,
    check_str_method,
    too_long,
)

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent.parent / "letter_templates"

VARIABLES = ("appeal", "recipient", "post", "holder", "signer", "signatories", "organisation",
             "date", "coalition", "demands", "request_role", "charge_groups", "narrative", "voice",
             "to_office", "request")
# Filters that cannot blow up memory or reach internals (no format, indent, center, safe, attr,
# pprint, tojson, xmlattr, urlize, wordwrap).
SAFE_BUILTIN_FILTERS = (
    "abs", "batch", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
    "float", "groupby", "int", "join", "last", "length", "list", "lower", "map", "max", "min",
    "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr", "slice", "sort",
    "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper", "wordcount",
)
MAX_RENDER_S = float(os.environ.get("LETTER_MAX_RENDER_S", 5))
UNSAFE_ATTRIBUTES = frozenset({"format", "format_map", "mro", "gi_frame", "gi_code", "cr_frame",
                               "f_globals", "func_globals", "metadata", "registry", "query"})


class LetterTemplateError(Exception):
    """A letter template that cannot be rendered; `line` is the template line when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message, line)  # both in args: the error survives pickling from a worker
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class _Budget(threading.local):
    """Deadline of the render in progress (per thread: the web server renders in threads)."""

    deadline: float = float("inf")

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise SecurityError(f"the template ran longer than {MAX_RENDER_S:g} seconds")


_budget = _Budget()


class LetterSandbox(ImmutableSandboxedEnvironment):
    """Immutable sandbox with autoescape, strict undefined, bounded operators and a clock."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def is_safe_attribute(self, obj, attr, value) -> bool:  # noqa: ANN001
        if attr in UNSAFE_ATTRIBUTES:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator_: str, left, right):  # noqa: ANN001
        _budget.check()
        if operator_ == "**":
            check_power(left, right)
            return operator.pow(left, right)
        if operator_ == "%":
            check_modulo(left, right)
            return operator.mod(left, right)
        if operator_ == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple) \
                    and len(left) + len(right) > MAX_OUTPUT_CHARS:
                raise too_long()
            return operator.add(left, right)
        check_repeat(left, right)
        return operator.mul(left, right)

    def getattr(self, obj, attribute):  # noqa: ANN001
        _budget.check()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):  # noqa: ANN001
        _budget.check()
        return super().getitem(obj, argument)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: ANN001, N805
        _budget.check()
        if isinstance(getattr(__obj, "__self__", None), str):
            check_str_method(__obj.__self__, getattr(__obj, "__name__", ""), args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)


def _budgeted_range(*args: int) -> Iterator[int]:
    """`range` with the sandbox's size limit that also watches the clock."""
    values = range(*args)
    if len(values) > MAX_REPEAT:
        raise SecurityError(f"range() is limited to {MAX_REPEAT} items in letters")
    for index, value in enumerate(values):
        if index % 256 == 0:
            _budget.check()
        yield value


# --- Filters documented in docs/letters.md ------------------------------------------------------


def _locale(context_language: str | None) -> str:
    return letter_locale(context_language)


@pass_context
def format_date_filter(context, value: date | datetime | None, style: str = "long",
                       language: str | None = None) -> str:
    """`{{ date|format_date }}`: a date in the letter's language with Babel (long by default)."""
    if language is None:
        recipient = context.get("recipient")
        language = getattr(recipient, "language", None) or "en"
    if value is None:
        return ""
    if style not in ("short", "medium", "long", "full"):
        raise SecurityError("format_date takes short, medium, long or full")
    return babel_format_date(value, format=style, locale=_locale(language))


@pass_context
def format_number_filter(context, value: int | float | None) -> str:
    """`{{ appeal.signatory_count|format_number }}`: "12,345" / "12 345" in the letter's language."""
    if value is None:
        return ""
    language = getattr(context.get("recipient"), "language", None) or "en"
    return format_decimal(value, locale=_locale(language))


def initials_filter(name: str) -> str:
    """`{{ signer.name|initials }}`: `Musagali Duambekov` -> `M. D.`"""
    return " ".join(part[0].upper() + "." for part in str(name).split() if part)


def paragraphs_filter(text: str | None) -> Markup:
    """`{{ signer.message|paragraphs }}`: plain text to escaped <p> paragraphs."""
    if not text:
        return Markup("")
    blocks = [block.strip() for block in str(text).replace("\r\n", "\n").split("\n\n")]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in block.split("\n")))
        for block in blocks if block
    )


def _build_environment() -> LetterSandbox:
    env = LetterSandbox(
        loader=FileSystemLoader(str(TEMPLATE_ROOT)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=200,
    )
    env.filters = {name: BOUNDED_FILTERS.get(name, FILTERS[name]) for name in SAFE_BUILTIN_FILTERS}
    env.filters.update(format_date=format_date_filter, format_number=format_number_filter,
                       initials=initials_filter, paragraphs=paragraphs_filter)
    env.globals = {"range": _budgeted_range}
    return env


sandbox = _build_environment()


def _error_line(error: BaseException, template_name: str | None) -> int | None:
    """The template line a runtime error happened on, read from the traceback."""
    if isinstance(error, TemplateSyntaxError):
        return error.lineno
    tb = error.__traceback__
    line = None
    names = {"<template>", template_name} if template_name else {"<template>"}
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in names or filename.startswith(str(TEMPLATE_ROOT)):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _message(error: BaseException) -> str:
    if isinstance(error, TemplateSyntaxError):
        return f"syntax error: {error.message}"
    if isinstance(error, TemplateNotFound):
        return (f"there is no letter template named {error.name!r} "
                "(only files under letter_templates/ can be included)")
    if isinstance(error, SecurityError):
        return f"not allowed in a letter template: {error}"
    if isinstance(error, UndefinedError):
        missing = re.match(r"^'.*' has no attribute '(\w+)'$", error.message or "")
        if missing:
            return f"there is no field {missing.group(1)!r} here (docs/letters.md lists the fields)"
        return f"{error.message} (letters know only: {', '.join(VARIABLES)})"
    if isinstance(error, TemplateError):
        return error.message or type(error).__name__
    if isinstance(error, ZeroDivisionError):
        return "division by zero"
    if isinstance(error, RecursionError):
        return "the template is nested too deeply"
    if isinstance(error, TypeError | ValueError | ArithmeticError | LookupError):
        return f"the template uses a value the wrong way ({type(error).__name__})"
    return "the template could not be rendered"


def _check_names(source_ast: nodes.Template) -> None:
    """Refuse filters outside the list before running anything (clear error with the line)."""
    for node in source_ast.find_all((nodes.Filter, nodes.Test)):
        if isinstance(node, nodes.Filter) and node.name not in sandbox.filters:
            raise LetterTemplateError(
                f"unknown filter {node.name!r}; letters may use: {', '.join(sorted(sandbox.filters))}",
                node.lineno)


def compile_user_template(source: str):
    """Parse `source` in the sandbox; raises LetterTemplateError with the line on a syntax error."""
    try:
        _check_names(sandbox.parse(source))
        return sandbox.from_string(source)
    except LetterTemplateError:
        raise
    except TemplateError as error:
        raise LetterTemplateError(_message(error), _error_line(error, None)) from None
    except (RecursionError, MemoryError):  # the parser or Python's compiler on a deep expression
        raise LetterTemplateError("the template is nested too deeply") from None


def render_template_object(template, context: dict) -> Markup:
    """Render a compiled sandbox template with the output and time limits."""
    unknown = set(context) - set(VARIABLES)
    if unknown:
        raise ValueError(f"not a letter variable: {', '.join(sorted(unknown))}")
    pieces: list[str] = []
    size = 0
    _budget.deadline = time.monotonic() + MAX_RENDER_S
    try:
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise SecurityError(f"the letter is longer than {MAX_OUTPUT_CHARS} characters")
            _budget.check()
            pieces.append(piece)
    except LetterTemplateError:
        raise
    except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError, RecursionError,
            AttributeError) as error:
        raise LetterTemplateError(_message(error), _error_line(error, template.name)) from None
    finally:
        _budget.deadline = float("inf")
    return Markup("".join(pieces))


def render_user_template(source: str, context: dict) -> str:
    """Render template `source` with `context` (letter variables only) in the sandbox.

    Raises LetterTemplateError(message, line) for syntax errors, unknown names or filters,
    unsafe access ({{ ''.__class__ }}), includes outside letter_templates/, and limits.
    """
    return str(render_template_object(compile_user_template(source), context))


def render_named_template(name: str, context: dict) -> Markup:
    """Render a bundled template from letter_templates/ in the same sandbox."""
    try:
        template = sandbox.get_template(name)
    except TemplateError as error:
        raise LetterTemplateError(_message(error), _error_line(error, name)) from None
    return render_template_object(template, context)
