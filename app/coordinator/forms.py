from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from nacl.public import PrivateKey
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from app.appeals.localized import STATE_LABELS
from app.models import Group
from app.models.enums import AppealState
from app.sealing.forms import KeyFileMixin, key_file_field


class AppealStateForm(FlaskForm):
    state = SelectField(_l("State"), choices=[SelectChoice(s.value, STATE_LABELS[s]) for s in AppealState])
    paused_notice = TextAreaField(
        _l("Notice shown while paused"), validators=[Length(max=2000)]
    )

    def validate_paused_notice(self, field) -> None:  # noqa: ANN001
        from wtforms.validators import ValidationError

        if self.state.data == AppealState.PAUSED and not (field.data or "").strip():
            raise ValidationError(_("Say on the public page why writing is paused."))


class ExportForm(KeyFileMixin, FlaskForm):
    include_emails = BooleanField(_l("Include e-mail addresses"))
    # Its own id: the appeal page also holds the duplicate-removal form's key file field.
    key_file = key_file_field(id="export-key_file")

    def export_key(self, group: Group | None) -> tuple[bool, PrivateKey | None]:
        """(usable, key): the key is needed for e-mail addresses, optional otherwise (it opens
        full names, cities and messages)."""
        if not self.include_emails.data and not self.key_file.data:
            return True, None
        key = self.private_key(group)
        return key is not None, key
