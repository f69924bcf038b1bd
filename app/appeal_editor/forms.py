"""The appeal editor's form: every field of an appeal file, as WTForms fields.

The fields only carry what was typed. The rules (required, dates, numbers, web addresses, a
charge's person among the people…) are the appeal file schema's (app/appeals/file_schema.py),
applied by app.appeal_editor.service so that a file and the browser can never disagree; its
messages are put back next to the field they are about. Sub-forms are plain `wtforms.Form`:
the one CSRF token is the outer form's.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.appeals.localized import EVENT_LABELS, ROLE_LABELS, STATUS_LABELS
from app.forms_common import strip_filter
from app.languages import LANGUAGES
from app.models.enums import CaseStatus, EventKind, PersonRole, RecipientRole

ROLE_CHOICES = [SelectChoice("to", _l("To")), SelectChoice("cc", _l("Cc"))]
assert {c.value for c in ROLE_CHOICES} == {r.value for r in RecipientRole}

STRIP = [strip_filter]


def _text(label, **kwargs) -> StringField:  # noqa: ANN001
    return StringField(label, filters=STRIP, **kwargs)


def _area(label, **kwargs) -> TextAreaField:  # noqa: ANN001
    return TextAreaField(label, filters=STRIP, **kwargs)


def _select(label, labels: dict, values) -> SelectField:  # noqa: ANN001
    return SelectField(label, choices=[SelectChoice(v.value, labels[v.value]) for v in values])


class PersonForm(Form):
    name = _text(_l("Name"))
    role = _select(_l("Role"), ROLE_LABELS, PersonRole)
    status = _select(_l("Status"), STATUS_LABELS, CaseStatus)
    description = _area(_l("Description"), render_kw={"rows": 2})


class ChargeForm(Form):
    # Choices are the people typed in the same form (set by service.prepare); the schema checks
    # the name, so a person renamed after choosing is reported, not silently dropped.
    person = SelectField(_l("Person"), choices=[], validate_choice=False)
    code = _text(_l("Code"))
    article = _text(_l("Article"))
    label = _text(_l("Charge"))


class EventForm(Form):
    date = _text(_l("Date"), description=_l("YYYY, YYYY-MM or YYYY-MM-DD"),
                 render_kw={"placeholder": "YYYY-MM-DD", "inputmode": "numeric"})
    kind = _select(_l("Kind"), EVENT_LABELS, EventKind)
    title = _text(_l("Title"))
    court = _text(_l("Court"))
    description = _area(_l("Description"), render_kw={"rows": 2})
    public = BooleanField(_l("Show on the public page"), default=True)


class SourceForm(Form):
    number = _text(_l("Number"), render_kw={"inputmode": "numeric", "size": 4})
    title = _text(_l("Title"))
    url = _text(_l("Web address"), render_kw={"placeholder": "https://"})


class DemandForm(Form):
    number = _text(_l("Number"), render_kw={"inputmode": "numeric", "size": 4})
    authority = _text(_l("Addressed to (authority)"))
    # A directory post the demand is addressed to: choices are the appeal's recipients.
    post = SelectField(_l("Directory post"), choices=[], validate_choice=False)
    text = _area(_l("Demand"), render_kw={"rows": 2})


class RecipientForm(Form):
    post = HiddenField()
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class ChargeTextForm(Form):
    code = _text(_l("Code"))
    article = _text(_l("Article"))
    label = _text(_l("Charge"))


class DemandTextForm(Form):
    authority = _text(_l("Addressed to (authority)"))
    text = _area(_l("Demand"), render_kw={"rows": 2})


class TranslationForm(Form):
    """The letter text in one more language; its lists follow the appeal's, by position."""

    language = SelectField(_l("Language"), choices=[SelectChoice(c, n) for c, n in LANGUAGES.items()])
    title = _text(_l("Title"))
    summary = _area(_l("Summary"), render_kw={"rows": 3})
    subject = _text(_l("Letter subject"))
    court = _text(_l("Court"))
    organisation = _text(_l("Name of the group running the appeal"))
    people = FieldList(_text(_l("Name")))
    charges = FieldList(FormField(ChargeTextForm))
    demands = FieldList(FormField(DemandTextForm))


class AppealEditorForm(FlaskForm):
    slug = _text(_l("Address (slug)"), description=_l(
        "The page address: lower-case letters, digits and dashes, such as free-dina-kaliyeva"))
    title = _text(_l("Title"))
    summary = _area(_l("Summary"), render_kw={"rows": 3})
    body = _area(_l("The case (Markdown)"), render_kw={"rows": 12})
    country = SelectField(_l("Country"), choices=[], validate_choice=False)
    court = _text(_l("Court"))
    group = SelectField(_l("Group running the appeal"), choices=[])
    letter_subject = _text(_l("Letter subject"))
    letter_language = SelectField(_l("Letter language"),
                                  choices=[SelectChoice(c, n) for c, n in LANGUAGES.items()])
    people = FieldList(FormField(PersonForm))
    charges = FieldList(FormField(ChargeForm))
    events = FieldList(FormField(EventForm))
    sources = FieldList(FormField(SourceForm))
    demands = FieldList(FormField(DemandForm))
    recipients = FieldList(FormField(RecipientForm))
    translations = FieldList(FormField(TranslationForm))
    # The directory search: part of this form so that searching keeps everything typed.
    recipient_query = _text(_l("Find posts in the directory"), validators=[Length(max=200)])


class PublishForm(FlaskForm):
    """The button that opens a draft for signatures (a form, for CSRF)."""
