from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.models.enums import AppealState


class AppealStateForm(FlaskForm):
    state = SelectField("State", choices=[SelectChoice(s.value, s.value.capitalize()) for s in AppealState])
    paused_notice = TextAreaField(
        "Notice shown while paused", validators=[Length(max=2000)]
    )

    def validate_paused_notice(self, field) -> None:  # noqa: ANN001
        from wtforms.validators import ValidationError

        if self.state.data == AppealState.PAUSED and not (field.data or "").strip():
            raise ValidationError("Say on the public page why writing is paused.")


class ExportForm(FlaskForm):
    include_emails = BooleanField("Include e-mail addresses")
