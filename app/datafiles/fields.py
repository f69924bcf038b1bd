"""Field types shared by every data file kind: one slug rule, one notion of a line of text, of a
date, of a flag, of a language.

The loader hands every scalar over as text, so these types are where text becomes a number, a
date or true/false, each with a message that says what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

import pycountry
from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, StringConstraints

from app.datafiles.errors import did_you_mean, shown
from app.languages import CODES, is_supported
from app.text import has_control_characters

# The one slug rule, for directory ids, appeal slugs and group slugs alike.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class Record(BaseModel):
    """A mapping in a data file: every field declared, any other key refused."""

    model_config = ConfigDict(extra="forbid")


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


def _slug(value: str) -> str:
    if len(value) > SLUG_MAX or not SLUG_PATTERN.match(value):
        raise ValueError(_("'%(value)s' is not an id: use up to %(n)s lower-case letters, digits and "
                           "single dashes, such as kz-general-prosecutor", value=shown(value), n=SLUG_MAX))
    return value


def _one_line(value: str) -> str:
    if has_control_characters(value):
        raise ValueError(_("must be on one line (no line breaks or control characters)"))
    return value


def text(max_len: int | None = None, *, one_line: bool = True) -> Any:
    """Required text; `one_line` refuses line breaks (names, titles, labels)."""
    checks: list[Any] = [StringConstraints(max_length=max_len)] if max_len else []
    if one_line:
        checks.append(AfterValidator(_one_line))
    return Annotated[str, BeforeValidator(_blank_to_none), *checks]


def optional(kind: Any) -> Any:
    """`kind` or nothing; an empty value counts as nothing."""
    return Annotated[kind | None, BeforeValidator(_blank_to_none)]


Slug = Annotated[str, BeforeValidator(_blank_to_none), AfterValidator(_slug)]


def _scalar(value: Any) -> None:
    """Refuse a list or mapping where a single value is expected (before parsing it as text)."""
    if isinstance(value, list | dict):
        kind = _("a list") if isinstance(value, list) else _("a mapping of fields")
        raise ValueError(_("must be a single value, not %(kind)s", kind=kind))
    if value is None or value == "":
        raise ValueError(_("is required"))


def _flag_with(default: bool):  # noqa: ANN202
    def parse(value: Any) -> bool:
        if value is None or isinstance(value, bool):
            return default if value is None else value
        _scalar(value)
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError(_("must be true or false (got '%(value)s')", value=shown(value)))
    return parse


def flag(default: bool) -> Any:
    """true or false; nothing means `default`."""
    return Annotated[bool, BeforeValidator(_flag_with(default))]


def whole_number(low: int, high: int) -> Any:
    """A whole number from `low` to `high`."""
    def parse(value: Any) -> int:
        _scalar(value)
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and value.strip().isdecimal():
            number = int(value)
        if number is None or not low <= number <= high:
            raise ValueError(_("must be a whole number from %(low)s to %(high)s", low=low, high=high))
        return number
    return Annotated[int, BeforeValidator(parse)]


def _day(value: Any) -> Any:
    if isinstance(value, date):
        return value
    _scalar(value)
    try:
        if isinstance(value, str) and _DAY.match(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(_("'%(value)s' is not a date (YYYY-MM-DD)", value=shown(value)))


Day = Annotated[date, BeforeValidator(_day)]


def parse_partial_date(value: Any) -> tuple[date, str]:
    """"2017" -> (2017-01-01, "year"), "2017-04" -> (2017-04-01, "month"), a whole date -> "day"."""
    if isinstance(value, date):
        return value, "day"
    _scalar(value)
    found = _PARTIAL.match(value) if isinstance(value, str) else None
    try:
        if found:
            year, month, day = found.groups()
            precision = "day" if day else "month" if month else "year"
            return date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError:
        pass
    raise ValueError(_("'%(value)s' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD "
                       "(2017, 2017-04 or 2017-04-09)", value=shown(value)))


PartialDate = Annotated[tuple[date, str], BeforeValidator(parse_partial_date)]


def _language(value: str) -> str:
    if not is_supported(value):
        message = _("'%(value)s' is not a language Appeal Desk writes letters in (one of: %(codes)s)",
                    value=shown(value), codes=", ".join(CODES))
        raise ValueError(message + did_you_mean(value, CODES))
    return value


Language = Annotated[str, AfterValidator(_language)]


def choice(values: Iterable[str]) -> Any:
    """One of `values`."""
    allowed = [str(v) for v in values]

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(_("must be one of %(allowed)s (got '%(value)s')",
                               allowed=", ".join(allowed), value=shown(value)) + did_you_mean(value, allowed))
        return value
    return Annotated[str, BeforeValidator(_blank_to_none), AfterValidator(check)]


def known_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code (upper case)."""
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def _country(value: str) -> str:
    if not known_country(value):
        raise ValueError(_("unknown country '%(value)s' (an ISO 3166 code such as KZ)", value=shown(value)))
    return value


Country = Annotated[str, AfterValidator(_country)]
