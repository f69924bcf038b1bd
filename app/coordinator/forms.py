from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.appeals.localized import STATE_LABELS
from app.models.enums import AppealState


class AppealStateForm(FlaskForm):
    state = SelectField(_l("State"), choices=[SelectChoice(s.value, STATE_LABELS[s]) for s in AppealState])
    paused_notice = TextAreaField(
        _l("Notice shown while paused"), validators=[Length(max=2000)]
    )

    def validate_paused_notice(self, field) -> None:  # noqa: ANN001
        from wtforms.validators import ValidationError

        if self.state.data == AppealState.PAUSED and not (field.data or "").strip():
            raise ValidationError(_("Say on the public page why writing is paused."))


class ExportForm(FlaskForm):
    include_emails = BooleanField(_l("Include e-mail addresses"))
