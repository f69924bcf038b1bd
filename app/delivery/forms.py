"""Forms of the delivery log, replies, timeline and the unsubscribe page."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.delivery.replies import ScanRejected, read_scan
from app.delivery.service import HAND_CHANNELS
from app.forms_common import no_control_characters, strip_filter
from app.models.enums import EventKind

NO_POST = 0


class ButtonForm(FlaskForm):
    """A POST that carries nothing but its CSRF token."""


class PolicyForm(FlaskForm):
    send_email = BooleanField("The service e-mails the officials (with the letter as PDF)")
    send_fax = BooleanField("The service faxes the officials through the fax gateway")
    batching = SelectField("How often", choices=[
        SelectChoice("daily", "One message per official per day, with the new signatures"),
        SelectChoice("per_signer", "One message per signer"),
    ])
    max_per_domain_per_hour = IntegerField(
        "At most this many messages an hour to one ministry's domain (empty: site default)",
        validators=[Optional(), NumberRange(min=1, max=1000, message="Between 1 and 1000.")],
    )

    def validate_send_fax(self, field) -> None:  # noqa: ANN001
        if field.data and not current_app.config.get("FAX_GATEWAY"):
            raise ValidationError("No fax gateway is configured (FAX_GATEWAY), so the service "
                                  "cannot send faxes. Record faxes sent by hand below instead.")


class HandDeliveryForm(FlaskForm):
    post_id = SelectField("Official", coerce=int, validators=[DataRequired("Choose the official.")])
    channel = SelectField("How", choices=[SelectChoice(key, label) for key, label in HAND_CHANNELS.items()])
    sent_on = DateField("Sent on", validators=[DataRequired("Give the date it was sent.")])
    tracking_number = StringField(
        "Tracking number", filters=[strip_filter],
        validators=[Optional(), Length(max=100), no_control_characters],
    )
    pages = IntegerField("Pages", validators=[Optional(), NumberRange(min=1, max=999)])
    note = TextAreaField("Note", filters=[strip_filter], validators=[Optional(), Length(max=2000)])


class ReplyForm(FlaskForm):
    post_id = SelectField("From", coerce=int)
    received_on = DateField("Received on", validators=[DataRequired("Give the date it arrived.")])
    summary = TextAreaField("Summary", filters=[strip_filter], validators=[
        DataRequired("Summarise the reply in a few lines."), Length(max=5000)])
    scan = FileField("Scan (PDF, PNG or JPEG)")

    scan_result = None

    def validate_scan(self, field) -> None:  # noqa: ANN001
        upload = field.data
        if upload is None or not getattr(upload, "filename", None):
            return
        try:
            self.scan_result = read_scan(upload.stream, current_app.config["UPLOAD_MAX_BYTES"])
        except ScanRejected as error:
            raise ValidationError(str(error)) from None


class EventForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired("Give the date of the event.")])
    kind = SelectField("Kind", choices=[SelectChoice(k.value, k.value.replace("_", " ").capitalize())
                                        for k in EventKind])
    title = StringField("Title", filters=[strip_filter], validators=[
        DataRequired("Give the event a title."), Length(max=300), no_control_characters])
    court = StringField("Court", filters=[strip_filter],
                        validators=[Optional(), Length(max=300), no_control_characters])
    description = TextAreaField("Description", filters=[strip_filter],
                                validators=[Optional(), Length(max=5000)])
    public = BooleanField("Show on the public page", default=True)
    notify = BooleanField("E-mail the signers who asked for news")
