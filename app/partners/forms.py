"""The coordinator's forms for an appeal's partners (the embedded sign form is in app/public/embed.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from app.forms_common import no_control_characters, strip_filter
from app.partners.origins import OriginError, parse_origins


def _origins(_form, field) -> None:  # noqa: ANN001
    try:
        parse_origins(field.data)
    except OriginError as error:
        raise ValidationError(str(error)) from None


class PartnerForm(FlaskForm):
    """Add a partner to an appeal's coalition."""

    name = StringField(_l("Organisation name"), filters=[strip_filter], validators=[
        DataRequired(_l("Enter the organisation's name.")), Length(max=200), no_control_characters])
    code = StringField(_l("Referral code (letters, digits and dashes)"), filters=[strip_filter],
                       validators=[DataRequired(_l("Enter a referral code.")), Length(max=40),
                                   Regexp(r"^[a-z0-9][a-z0-9-]*$",
                                          message=_l("Use lower-case letters, digits and dashes."))])
    website = StringField(_l("Website (optional)"), filters=[strip_filter], validators=[
        Optional(), Length(max=300), Regexp(r"^https?://\S+$", message=_l("Start with https://."))])
    frame_origins = TextAreaField(
        _l("Sites allowed to embed the form (one origin a line, e.g. https://partner.example.org)"),
        filters=[strip_filter], validators=[Length(max=2000), _origins])
    submit = SubmitField(_l("Add partner"))


class OriginsForm(FlaskForm):
    """Change the origins one partner may embed the form from."""

    frame_origins = TextAreaField(_l("Sites allowed to embed the form"), filters=[strip_filter],
                                  validators=[Length(max=2000), _origins])
    submit = SubmitField(_l("Save origins"))


class RemovePartnerForm(FlaskForm):
    """A button-only POST, with CSRF."""

    partner_id = IntegerField(validators=[DataRequired()])
    submit = SubmitField(_l("Remove"))
