"""Validators and choices shared by forms."""

from __future__ import annotations

from functools import cache

import pycountry
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.i18n import country_names, current_language
from app.languages import DEFAULT_LANGUAGE
from app.text import has_control_characters


@cache
def country_choices(language: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """ISO 3166-1 countries as (alpha-2, name in `language` from CLDR), sorted by name."""
    names = country_names(language)
    return sorted(((c.alpha_2, names.get(c.alpha_2, c.name)) for c in pycountry.countries),
                  key=lambda c: c[1])


@cache
def _country_select_choices(blank_label: str, language: str) -> tuple[SelectChoice, ...]:
    return (SelectChoice("", blank_label),
            *(SelectChoice(code, name) for code, name in country_choices(language)))


def country_select_choices(blank_label: str) -> tuple[SelectChoice, ...]:
    """A blank option labelled `blank_label`, then the countries in the page language: built
    once per label and language, shared by every form (a tuple, so no form can change it)."""
    return _country_select_choices(str(blank_label), current_language())


def no_control_characters(form, field) -> None:  # noqa: ANN001
    """Refuse line breaks and control characters: they have no place in a name or header."""
    if field.data and has_control_characters(field.data):
        raise ValidationError(_("Remove line breaks and control characters."))


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
        raise ValidationError(_("This e-mail address is not valid: %(reason)s", reason=error)) from None
    field.data = result.normalized


def strip_filter(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value
