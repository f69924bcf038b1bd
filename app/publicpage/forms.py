"""The coordinator's "Public page" form: photo, its alt text and credit, pitch and goal."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from app.forms_common import no_control_characters, strip_filter
from app.publicpage.photos import CleanPhoto, NotAnImage, PublicPageInput, clean_photo


class PublicPageForm(FlaskForm):
    photo = FileField(_l("Photo of the person (JPEG, PNG or WebP)"))
    photo_alt = StringField(
        _l("Describe the photo for people who cannot see it"), filters=[strip_filter],
        validators=[Length(max=300), no_control_characters])
    photo_credit = StringField(_l("Photo credit (optional)"), filters=[strip_filter],
                               validators=[Optional(), Length(max=300), no_control_characters])
    pitch = TextAreaField(_l("Short pitch: why sign, in two or three sentences (optional)"),
                          filters=[strip_filter], validators=[Optional(), Length(max=600)])
    signature_goal = IntegerField(
        _l("Signature goal (optional)"), validators=[Optional(), NumberRange(
            min=1, max=100_000_000, message=_l("Give a whole number of signatures above zero."))])

    cleaned_photo: CleanPhoto | None = None

    def __init__(self, *args, has_photo: bool = False, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.has_photo = has_photo

    def validate_photo(self, field) -> None:  # noqa: ANN001
        upload = field.data
        if upload is None or not getattr(upload, "filename", None):
            return
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        raw = upload.stream.read(limit + 1)
        if len(raw) > limit:
            raise ValidationError(_("Photo: the file is larger than %(size)s MB.", size=limit // 2**20))
        try:
            self.cleaned_photo = clean_photo(raw)
        except NotAnImage:
            raise ValidationError(_("Photo: this file is not a JPEG, PNG or WebP image.")) from None

    def validate_photo_alt(self, field) -> None:  # noqa: ANN001
        if (self.has_photo or self.cleaned_photo) and not field.data:
            raise ValidationError(_("Describe the photo: screen readers read this text aloud."))

    def page_input(self) -> PublicPageInput:
        return PublicPageInput(photo=self.cleaned_photo, alt=self.photo_alt.data or "",
                               credit=self.photo_credit.data, pitch=self.pitch.data,
                               goal=self.signature_goal.data)
