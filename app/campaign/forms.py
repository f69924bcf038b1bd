"""Forms of an appeal's lifecycle and of case updates. Every POST goes through one, for CSRF."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.appeals.localized import OUTCOME_LABELS
from app.delivery.updates import UpdateText, update_languages
from app.forms_common import no_control_characters, strip_filter
from app.i18n import language_name
from app.models import Appeal
from app.sealing.forms import KeyFileMixin


class DayField(DateField):
    """A date typed as YYYY-MM-DD (the browser's date picker writes it so), with a message
    that says how to write it."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("%(field)s: write the date as YYYY-MM-DD, such as 2026-12-15.",
                               field=self.label.text)) from None


class DeadlineForm(FlaskForm):
    write_before = DayField(_l("Write before"), validators=[Optional()])

    def validate_write_before(self, field) -> None:  # noqa: ANN001
        if field.data and field.data <= date.today():
            raise ValidationError(_("Write before: choose a day after today (the appeal closes "
                                    "on that day)."))


class PauseForm(FlaskForm):
    notice = TextAreaField(_l("Public notice"), filters=[strip_filter], validators=[
        DataRequired(_l("Say on the public page why writing is paused.")), Length(max=2000)])


class ResumeForm(FlaskForm):
    """A button: open the paused appeal again."""


class CloseForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[
        SelectChoice("", _l("Choose the outcome…")),
        *(SelectChoice(value, label) for value, label in OUTCOME_LABELS.items())],
        validators=[DataRequired(_l("Outcome: choose how the case ended."))])


class UpdateTextForm(Form):
    """One language's version of an update (no CSRF of its own: it is part of UpdateForm)."""

    subject = StringField(_l("Subject"), filters=[strip_filter],
                          validators=[Optional(), Length(max=200), no_control_characters])
    body = TextAreaField(_l("Text (Markdown or plain text)"), filters=[strip_filter],
                         validators=[Optional(), Length(max=20000)], render_kw={"rows": 10})


class UpdateForm(KeyFileMixin, FlaskForm):
    """A subject and a text per language of the appeal; its own language is required, any
    other is both or neither (readers of a language left empty get the fallback)."""

    # Preview first: pressing Enter in a subject submits the first button, never Send.
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send to supporters"))
    languages: list[str] = []

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        valid = super().validate(extra_validators)
        for index, code in enumerate(self.languages):
            entry = self[code]
            subject, body = entry.subject, entry.body
            required = index == 0 or bool(subject.data) or bool(body.data)
            if required and not subject.data and not subject.errors:
                subject.errors.append(_("%(language)s subject: give the update a subject.",
                                        language=language_name(code).capitalize()))
                valid = False
            if required and not body.data and not body.errors:
                body.errors.append(_("%(language)s text: write the update.",
                                     language=language_name(code).capitalize()))
                valid = False
        return valid

    def texts(self) -> dict[str, UpdateText]:
        """The versions written, by language."""
        return {code: UpdateText(self[code].subject.data, self[code].body.data)
                for code in self.languages if self[code].subject.data}


def update_form(appeal: Appeal) -> UpdateForm:
    """The update form with one subject and text per language of `appeal`, own language first."""
    languages = update_languages(appeal)
    fields = {code: FormField(UpdateTextForm, label=language_name(code)) for code in languages}
    form = type("AppealUpdateForm", (UpdateForm,), fields)()
    form.languages = languages
    return form
