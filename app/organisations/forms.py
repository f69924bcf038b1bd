"""The organisation form: letterhead details and the logo, validated here (the logo by Pillow)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, EmailField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp, ValidationError

from app.extensions import db
from app.forms_common import ascii_local_part, no_control_characters
from app.models import Group
from app.organisations.logo import MAX_UPLOAD_BYTES, LogoError, normalise_logo


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _logo_message(reason: str) -> str:
    return {
        "large": _("Logo: the file is larger than %(mb)d MB.", mb=MAX_UPLOAD_BYTES // 2**20),
        "too_many_pixels": _("Logo: the picture has too many pixels; send a smaller one."),
        "too_detailed": _("Logo: the picture is too detailed for a letterhead; send a simpler "
                          "logo (a PNG with few colours works best)."),
    }.get(reason, _("Logo: the file is not a picture. Send a PNG, JPEG, GIF or WebP image."))


class OrganisationForm(FlaskForm):
    """What letters say about the organisation that sends them."""

    name = StringField(_l("Name"), filters=[_strip], validators=[
        DataRequired(_l("Enter the organisation's name.")), Length(max=200), no_control_characters])
    website = URLField(_l("Website"), filters=[_strip], validators=[
        Optional(), Length(max=300), URL(message=_l("Enter a web address like https://example.org."))])
    email = EmailField(_l("E-mail for replies"), filters=[_strip], validators=[
        Optional(), Length(max=254), ascii_local_part,
        Email(_l("Enter an e-mail address like name@example.org."))])
    postal_address = TextAreaField(_l("Postal address (one line per line of the address)"),
                                   validators=[Optional(), Length(max=1000)])
    logo = FileField(_l("Logo for letters (PNG, JPEG, GIF or WebP)"))
    remove_logo = BooleanField(_l("Remove the logo"))

    logo_png: bytes | None = None  # the re-encoded upload, once validated

    def validate_logo(self, field) -> None:  # noqa: ANN001
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        try:
            self.logo_png = normalise_logo(upload.read(MAX_UPLOAD_BYTES + 1))
        except LogoError as error:
            raise ValidationError(_logo_message(error.reason)) from None


class NewOrganisationForm(OrganisationForm):
    """A new organisation also needs its short name for files and addresses."""

    slug = StringField(_l("Short name (letters, digits and dashes, used in files)"),
                       filters=[_strip], validators=[
        DataRequired(_l("Enter a short name.")), Length(max=80),
        Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
               message=_l("Use lower-case Latin letters, digits and single dashes."))])

    def validate_slug(self, field) -> None:  # noqa: ANN001
        if db.session.scalar(select(Group.id).where(Group.slug == field.data)) is not None:
            raise ValidationError(_("An organisation with this short name exists."))
