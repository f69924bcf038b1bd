"""Coordinator forms for API keys and webhook endpoints."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms_common import no_control_characters, strip_filter


class NewKeyForm(FlaskForm):
    label = StringField(_l("What the key is for (e.g. our CRM)"), filters=[strip_filter],
                        validators=[DataRequired(_l("Name the key, so you know it later.")),
                                    Length(max=100), no_control_characters])
    create = SubmitField(_l("Create key"))


class RevokeKeyForm(FlaskForm):
    key_id = IntegerField(validators=[DataRequired()])
    revoke = SubmitField(_l("Revoke"))


class NewEndpointForm(FlaskForm):
    url = StringField(_l("Webhook address (https://…)"), filters=[strip_filter],
                      validators=[DataRequired(_l("Enter the address that receives the events.")),
                                  Length(max=1000), no_control_characters])
    add = SubmitField(_l("Add endpoint"))


class DisableEndpointForm(FlaskForm):
    endpoint_id = IntegerField(validators=[DataRequired()])
    disable = SubmitField(_l("Disable"))
