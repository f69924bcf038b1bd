"""Forms for browsing and editing the directory; every check puts its message next to its field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.directory.contacts import CONTACT_TYPE_CHOICES, CONTACT_TYPES, ContactError, parse_contact_value
from app.directory.service import overlapping
from app.forms_common import country_select_choices, no_control_characters, strip_filter
from app.models import Membership, Post

STRIP = [strip_filter]


class SearchForm(FlaskForm):
    """The directory search (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, organisation or post"), validators=[Optional(), Length(max=200)], filters=STRIP)
    country = SelectField(_l("Country"), choices=[SelectChoice("", _l("Any country"))], validate_choice=False)
    kind = SelectField(_l("Kind"), choices=[SelectChoice("", _l("Any kind"))], validate_choice=False)


class PostForm(FlaskForm):
    label = StringField(_l("Label"), validators=[DataRequired(), Length(max=300), no_control_characters],
                        filters=STRIP)
    salutation = StringField(_l("Salutation"), validators=[DataRequired(), Length(max=120),
                                                       no_control_characters], filters=STRIP)
    preferred_language = StringField(
        _l("Preferred language (code: ru, kk, en…)"), filters=STRIP,
        validators=[Optional(), Regexp(r"^[a-z]{2,3}$", message="Use a language code such as ru, kk or en.")])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)], filters=STRIP)


class HolderForm(FlaskForm):
    """A new holder of the post; the dates may not overlap another holder's."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), no_control_characters],
                       filters=STRIP)
    honorific_prefix = StringField(_l("Honorific (Mr, Ms, Dr…)"), filters=STRIP,
                                   validators=[Optional(), Length(max=40), no_control_characters])
    start_date = DateField(_l("In office from"), validators=[Optional()])
    end_date = DateField(_l("Until (empty if still in office)"), validators=[Optional()])
    source = StringField(_l("Source (URL or note)"), validators=[DataRequired(), Length(max=1000)],
                         filters=STRIP)

    def __init__(self, *args, post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        self.post = post

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """Field checks, then the dates against each other and against the other holders."""
        if not super().validate(extra_validators):
            return False
        start, end = self.start_date.data, self.end_date.data
        if end and start and end < start:
            self.end_date.errors.append(_("The end date is before the start date."))
            return False
        other = overlapping(self.post, start, end)
        if other is not None:
            self.end_date.errors.append(_(
                "These dates overlap %(name)s's term (%(start)s to %(end)s). End that term first.",
                name=other.person.name, start=other.start_date or "…", end=other.end_date or _("now")))
            return False
        return True


class EndHolderForm(FlaskForm):
    """Close a holder's term."""

    end_date = DateField(_l("Last day in office"), validators=[DataRequired(message="Give the last day.")])

    def __init__(self, *args, membership: Membership | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def validate_end_date(self, field) -> None:  # noqa: ANN001
        membership = self.membership
        if membership is None or field.data is None:
            return
        if membership.start_date and field.data < membership.start_date:
            raise ValidationError(_("The term started on %(date)s; end it on or after that.",
                                    date=membership.start_date))
        other = overlapping(membership.post, membership.start_date, field.data, exclude=membership)
        if other is not None:
            raise ValidationError(_("These dates would overlap %(name)s's term.",
                                    name=other.person.name))


class ContactForm(FlaskForm):
    """One contact detail. The value is checked for its type; an address for its country."""

    type = SelectField(_l("Type"), choices=[SelectChoice(t, CONTACT_TYPE_CHOICES[t]) for t in CONTACT_TYPES])
    label = StringField(_l("Label (optional)"), validators=[Optional(), Length(max=120),
                                                        no_control_characters], filters=STRIP)
    value = StringField(_l("Number, e-mail or web address"), validators=[Optional(), Length(max=500)],
                        filters=STRIP)
    company_name = StringField(_l("Addressed to (organisation line)"), filters=STRIP,
                               validators=[Optional(), Length(max=300)])
    street_address = TextAreaField(_l("Street address"), validators=[Optional(), Length(max=500)],
                                   filters=STRIP)
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)], filters=STRIP)
    country_area = StringField(_l("Region"), validators=[Optional(), Length(max=120)], filters=STRIP)
    postal_code = StringField(_l("Postal code"), validators=[Optional(), Length(max=20)], filters=STRIP)
    sorting_code = StringField(_l("Sorting code (CEDEX…)"), validators=[Optional(), Length(max=20)],
                               filters=STRIP)
    country_code = SelectField(_l("Country"), choices=[SelectChoice("", _l("—"))], validate_choice=False)
    last_verified = DateField(_l("Last verified"), validators=[Optional()])
    source = StringField(_l("Source (URL or note)"), validators=[DataRequired(), Length(max=1000)],
                         filters=STRIP)

    ADDRESS_PARTS = ("company_name", "street_address", "city", "country_area", "postal_code",
                     "sorting_code", "country_code")

    def __init__(self, *args, region: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = country_select_choices("—")
        self.region = region
        self.parsed: tuple[str, dict | None] | None = None

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if not ok or self.type.errors:
            return False
        try:
            if self.type.data == "address":
                self.parsed = parse_contact_value("address", self._address())
            else:
                if not self.value.data:
                    self.value.errors.append(_("Enter the number, e-mail or web address."))
                    return False
                self.parsed = parse_contact_value(self.type.data, self.value.data, self.region)
        except ContactError as error:
            self._place_error(str(error))
            return False
        return True

    def _address(self) -> dict:
        return {name: getattr(self, name).data for name in self.ADDRESS_PARTS if getattr(self, name).data}

    def _place_error(self, message: str) -> None:
        """Show the message next to the field it is about."""
        if self.type.data != "address":
            self.value.errors.append(message)
            return
        for name in ("postal_code", "city", "street_address", "country_area", "sorting_code"):
            if f"{name} is" in message:
                getattr(self, name).errors.append(message)
                return
        if "country" in message:
            self.country_code.errors.append(message)
        else:
            self.street_address.errors.append(message)

    def values(self) -> dict:
        """The contact's stored fields, after a successful validate()."""
        value, address = self.parsed
        return {"type": self.type.data, "label": self.label.data or None, "value": value,
                "address": address, "last_verified": self.last_verified.data,
                "source": self.source.data}

    def fill_from(self, contact) -> None:  # noqa: ANN001
        """Pre-fill the form with a stored detail (international format for numbers)."""
        from app.directory.contacts import format_phone

        self.type.data = contact.type
        self.label.data = contact.label
        self.last_verified.data = contact.last_verified
        self.source.data = contact.source
        if contact.type == "address" and contact.address:
            for name in self.ADDRESS_PARTS:
                getattr(self, name).data = contact.address.get(name, "")
        elif contact.type in ("fax", "phone"):
            self.value.data = format_phone(contact.value)
        else:
            self.value.data = contact.value


class ConfirmForm(FlaskForm):
    """A button-only POST (remove a detail), for its CSRF token."""

