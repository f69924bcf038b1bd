"""The coordinator's high-risk mode switch and the "remove duplicates" action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, ValidationError

from app.models import Appeal
from app.sealing.forms import KeyFileMixin


class HighRiskForm(FlaskForm):
    """On or off for one appeal; on needs the organisation's key, the only way to find the
    duplicates later."""

    high_risk = BooleanField(_l("High-risk mode: keep no e-mail hash for this appeal"))
    submit = SubmitField(_l("Save high-risk mode"))

    def __init__(self, *args, appeal: Appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.appeal = appeal

    def validate_high_risk(self, field: BooleanField) -> None:
        group = self.appeal.group
        if field.data and (group is None or group.public_key is None):
            raise ValidationError(_l("Create your organisation's key first: without it the "
                                     "duplicates of a high-risk appeal cannot be removed."))


class DedupeForm(KeyFileMixin, FlaskForm):
    submit = SubmitField(_l("Remove duplicates"))


def high_risk_forms(appeal: Appeal) -> tuple[HighRiskForm, DedupeForm]:
    """Both forms, unbound, for the appeal's coordinator page (whatever request renders it)."""
    return (HighRiskForm(formdata=None, appeal=appeal, high_risk=appeal.high_risk),
            DedupeForm(formdata=None))
