"""Forms of the moderation views: suspect signatures and deleting a signer."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectMultipleField, SubmitField
from wtforms.validators import AnyOf, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class SuspectForm(FlaskForm):
    """Release or drop suspect signatures: the ticked ones, or all of the appeal."""

    ids = SelectMultipleField(_l("Suspect signatures"), coerce=int,
                              widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    all_suspects = BooleanField(_l("All suspect signatures of this appeal"))
    release = SubmitField(_l("Release: send each a confirmation e-mail"))
    drop = SubmitField(_l("Drop: delete them"))

    def validate_ids(self, field) -> None:  # noqa: ANN001
        if not field.data and not self.all_suspects.data:
            raise ValidationError(_("Tick at least one signature, or all of them."))


class DeleteSignerForm(FlaskForm):
    """Delete one signer at their request, from the page that says what will be deleted."""

    confirm = HiddenField(validators=[AnyOf(["yes"])])  # only the confirmation page sends it
