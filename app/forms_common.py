"""Validators and choices shared by forms."""

from __future__ import annotations

from functools import cache

import pycountry
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.text import has_control_characters


@cache
def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 countries as (alpha-2, name), sorted by name."""
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda c: c[1])


@cache
def country_select_choices(blank_label: str) -> tuple[SelectChoice, ...]:
    """A blank option labelled `blank_label`, then the countries: built once per label, shared
    by every form (a tuple, so no form can change the shared list)."""
    return (SelectChoice("", blank_label), *(SelectChoice(code, name) for code, name in country_choices()))


def no_control_characters(form, field) -> None:  # noqa: ANN001
    """Refuse line breaks and control characters: they have no place in a name or header."""
    if field.data and has_control_characters(field.data):
        raise ValidationError("Remove line breaks and control characters.")


def ascii_local_part(form, field) -> None:  # noqa: ANN001
    """Refuse an address whose part before the @ is not ASCII: most relays do not offer
    SMTPUTF8, so nothing could ever be delivered to it. International domains are fine."""
    local = (field.data or "").rpartition("@")[0]
    if not local.isascii():
        raise ValidationError(gettext(
            "%(field)s: the part before the @ can only use Latin letters, digits and"
            " . _ + - (mail to other characters cannot be delivered). Please use another address.",
            field=field.label.text))


def deliverable_email(form, field) -> None:  # noqa: ANN001
    """Syntax check with email-validator (no DNS: signing must not wait on the network);
    the part before the @ must be ASCII (see ascii_local_part)."""
    if not field.data:
        return
    ascii_local_part(form, field)
    try:
        result = validate_email(field.data, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise ValidationError(f"This e-mail address is not valid: {error}") from None
    field.data = result.normalized


def strip_filter(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value
