"""Forms of the moderation views: the signer list's search, suspect signatures, deleting a signer."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.sealing.forms import KeyFileMixin


class SuspectForm(FlaskForm):
    """Release or drop suspect signatures: the ticked ones, or all of the appeal."""

    # Ticked on this page or on any page of the signer list; the service acts only on suspects
    # of this appeal, so an id outside the first page shown here is not an error.
    ids = SelectMultipleField(_l("Suspect signatures"), coerce=int, validate_choice=False,
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


STATUS_CHOICES = [
    SelectChoice("", _l("All")), SelectChoice("confirmed", _l("Confirmed")),
    SelectChoice("pending", _l("Not yet confirmed")), SelectChoice("suspect", _l("Suspect")),
]


class SignerSearchForm(KeyFileMixin, FlaskForm):
    """Search the signer list by part of a name or e-mail address (sent as POST: never in a URL);
    the organisation's key file, if given, opens the sealed details of the page it shows."""

    q = StringField(_l("Name or e-mail contains"), validators=[Optional(), Length(max=200)],
                    filters=[lambda value: value.strip() if value else value])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="")
    before = HiddenField(validators=[Optional()], filters=[lambda v: int(v) if v and v.isdigit() else None])

# How the signer list names each signer's choices.
CHOICE_LABELS = {
    "none": _l("Not shown on the page"), "initials": _l("Initials on the page"),
    "full": _l("Full name on the page"), "count_only": _l("Counted in letters, not named"),
    "name_country": _l("Named in letters with country"),
    "confirmed": _l("Confirmed"), "pending": _l("Not yet confirmed"), "suspect": _l("Suspect"),
}
