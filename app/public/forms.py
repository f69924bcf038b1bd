"""The public sign form."""

from __future__ import annotations

from functools import cache, lru_cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select

from app.forms_common import (
    country_choices,
    country_select_choices,
    deliverable_email,
    no_control_characters,
    strip_filter,
)
from app.i18n import current_language
from app.models.enums import LetterInclusion, PublicDisplay
from app.signatures.service import SignatureInput


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _country_select_choices() -> tuple[SelectChoice, ...]:
    """Built once per language: on the signing hot path, converting ~250 tuples per form cost
    milliseconds."""
    return country_select_choices(_("Choose…"))


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in country_choices())


class CountrySelect(Select):
    """The select of countries, each <option> written once per value, name and state: the
    same ~250 options are on every sign page, and WTForms formats and escapes each of them
    on every view (about a tenth of the page's CPU time, bench/README.md)."""

    @classmethod
    def render_option(cls, choice: Choice, **kwargs) -> Markup:  # noqa: ANN003
        if kwargs or choice.render_kw:
            return super().render_option(choice, **kwargs)
        return _country_option(choice.value, str(choice.label), bool(choice.selected))


@lru_cache(maxsize=4096)  # every country in every language, chosen or not
def _country_option(value: str, label: str, selected: bool) -> Markup:
    return Select.render_option(Choice(value=value, label=label, selected=selected, render_kw=None))


class CountryField(SelectField):
    """A select of ISO countries whose check is a set lookup, not a walk over ~250 choices."""

    widget = CountrySelect()

    def pre_validate(self, form) -> None:  # noqa: ANN001
        if not self.process_errors and self.data not in _country_codes():
            raise ValidationError(self.gettext("Not a valid choice."))


class SignForm(FlaskForm):
    class Meta:
        # CSRFProtect checks every POST before any view runs (a bad token never reaches this
        # form); a second check here cost a signature's share of HMACs. The page renders the
        # token with csrf_token().
        csrf = False

    name = StringField(
        _l("Your name"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Please enter your name.")), Length(max=200), no_control_characters],
    )
    email = StringField(
        _l("E-mail (never published; we send one confirmation link)"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Please enter your e-mail address.")), Length(max=254),
                    no_control_characters, deliverable_email],
    )
    country = CountryField(_l("Country"), validators=[DataRequired(_l("Please choose your country."))])
    city = StringField(
        _l("City (optional)"), filters=[strip_filter],
        validators=[Optional(), Length(max=120), no_control_characters],
    )
    message = StringField(
        _l("A short personal message (optional, one paragraph)"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=1000), no_control_characters],
    )
    # Off by default: the message is then sealed like the city (docs/threat-model.md); ticked,
    # the signer chose to send it to the authorities, so it is kept readable for their letters.
    message_in_letters = BooleanField(
        _l("Put my message in my letters to the officials (otherwise it is sealed: only the "
           "organisation running the appeal can read it)"))
    public_display = RadioField(
        _l("On this page, show my name"),
        choices=[
            SelectChoice(PublicDisplay.NONE.value, _l("Not at all (only counted)")),
            SelectChoice(PublicDisplay.INITIALS.value, _l("As initials and country")),
            SelectChoice(PublicDisplay.FULL.value, _l("In full, with country")),
        ],
        default=PublicDisplay.NONE.value,
    )
    letter_inclusion = RadioField(
        _l("In the letters to officials"),
        choices=[
            SelectChoice(LetterInclusion.COUNT_ONLY.value, _l("Count me only, without my name")),
            SelectChoice(LetterInclusion.NAME_COUNTRY.value, _l("Include my name and country")),
        ],
        default=LetterInclusion.COUNT_ONLY.value,
    )
    wants_updates = BooleanField(_l("E-mail me when the case changes (hearing, verdict, release)"))
    recipients = MultiCheckboxField(_l("Write to"), coerce=int)
    # The share channel the visitor came through (?ref=tg): counted per channel once confirmed;
    # an unknown value is ignored, never refused (app/publicpage/sharing.py).
    ref = HiddenField()
    # Honeypot: hidden by CSS, a bot fills it in; a person never sees it.
    website = StringField(_l("Leave this field empty"))

    def __init__(self, *args, recipient_choices=(), **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.country.choices = _country_select_choices()
        self.recipients.choices = [SelectChoice(value, label) for value, label in recipient_choices]
        if not self.is_submitted():
            self.recipients.data = [choice.value for choice in self.recipients.choices]

    def validate_recipients(self, field) -> None:  # noqa: ANN001
        if self.recipients.choices and not field.data:
            raise ValidationError(_("Choose at least one official to write to."))

    def signature_input(self) -> SignatureInput:
        """The validated answers, as the signing service takes them."""
        return SignatureInput(
            name=self.name.data, email=self.email.data, country=self.country.data,
            city=self.city.data, message=self.message.data,
            message_in_letters=self.message_in_letters.data,
            public_display=self.public_display.data,
            letter_inclusion=self.letter_inclusion.data,
            wants_updates=self.wants_updates.data, post_ids=self.recipients.data or [],
            language=current_language(),
        )


class ConfirmForm(FlaskForm):
    """The button on the confirmation page (a POST, so link scanners do not confirm)."""
