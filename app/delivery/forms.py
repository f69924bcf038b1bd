"""Forms of the delivery log, replies, timeline and the unsubscribe page."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.appeals.localized import EVENT_LABELS
from app.delivery.replies import ScanRejected, read_scan
from app.delivery.service import HAND_CHANNELS
from app.forms_common import no_control_characters, strip_filter
from app.models.enums import EventKind
from app.sealing.forms import KeyFileMixin

NO_POST = 0


class ButtonForm(FlaskForm):
    """A POST that carries nothing but its CSRF token."""


class PolicyForm(FlaskForm):
    send_email = BooleanField(_l("The service e-mails the officials (with the letter as PDF)"))
    send_fax = BooleanField(_l("The service faxes the officials through the fax gateway"))
    batching = SelectField(_l("How often"), choices=[
        SelectChoice("daily", _l("One message per official per day, with the new signatures")),
        SelectChoice("per_signer", _l("One message per signer")),
    ])
    max_per_domain_per_hour = IntegerField(
        _l("At most this many messages an hour to one ministry's domain (empty: site default)"),
        validators=[Optional(), NumberRange(min=1, max=1000, message="Between 1 and 1000.")],
    )

    def validate_send_fax(self, field) -> None:  # noqa: ANN001
        if field.data and not current_app.config.get("FAX_GATEWAY"):
            raise ValidationError(_("No fax gateway is configured (FAX_GATEWAY), so the service "
                                    "cannot send faxes. Record faxes sent by hand below instead."))


class HandDeliveryForm(FlaskForm):
    post_id = SelectField(_l("Official"), coerce=int, validators=[DataRequired(_l("Choose the official."))])
    channel = SelectField(_l("How"),
                          choices=[SelectChoice(key, label) for key, label in HAND_CHANNELS.items()])
    sent_on = DateField(_l("Sent on"), validators=[DataRequired(_l("Give the date it was sent."))])
    tracking_number = StringField(
        _l("Tracking number"), filters=[strip_filter],
        validators=[Optional(), Length(max=100), no_control_characters],
    )
    pages = IntegerField(_l("Pages"), validators=[Optional(), NumberRange(min=1, max=999)])
    note = TextAreaField(_l("Note"), filters=[strip_filter], validators=[Optional(), Length(max=2000)])


class ReplyForm(FlaskForm):
    # Its own id: the delivery log also holds the letter-sent-by-hand form's "post_id".
    post_id = SelectField(_l("From"), coerce=int, id="reply-post_id")
    received_on = DateField(_l("Received on"), validators=[DataRequired(_l("Give the date it arrived."))])
    summary = TextAreaField(_l("Summary"), filters=[strip_filter], validators=[
        DataRequired(_l("Summarise the reply in a few lines.")), Length(max=5000)])
    scan = FileField(_l("Scan (PDF, PNG or JPEG)"))

    scan_result = None

    def validate_scan(self, field) -> None:  # noqa: ANN001
        upload = field.data
        if upload is None or not getattr(upload, "filename", None):
            return
        try:
            self.scan_result = read_scan(upload.stream, current_app.config["UPLOAD_MAX_BYTES"])
        except ScanRejected as error:
            raise ValidationError(str(error)) from None


class EventForm(KeyFileMixin, FlaskForm):
    date = DateField(_l("Date"), validators=[DataRequired(_l("Give the date of the event."))])
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k.value, EVENT_LABELS[k.value]) for k in EventKind])
    title = StringField(_l("Title"), filters=[strip_filter], validators=[
        DataRequired(_l("Give the event a title.")), Length(max=300), no_control_characters])
    court = StringField(_l("Court"), filters=[strip_filter],
                        validators=[Optional(), Length(max=300), no_control_characters])
    description = TextAreaField(_l("Description"), filters=[strip_filter],
                                validators=[Optional(), Length(max=5000)])
    public = BooleanField(_l("Show on the public page"), default=True)
    notify = BooleanField(_l("E-mail the signers who asked for news"))
