"""Forms of the letters area (every POST goes through a form, for CSRF)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.forms_common import no_control_characters, strip_filter
from app.languages import LANGUAGES


class LetterTemplateForm(FlaskForm):
    subject = StringField(_l("Subject line"), filters=[strip_filter],
                          validators=[Optional(), Length(max=300), no_control_characters])
    # Every letter language (app/languages.py): French too, and the next one added there.
    language = SelectField(_l("Default letter language"),
                           choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()])
    body = TextAreaField(_l("Letter body (Jinja template; empty = the bundled default)"),
                         validators=[Length(max=100_000)],
                         render_kw={"rows": 24, "spellcheck": "false"})
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class RequestTemplatesForm(FlaskForm):
    """The request to each kind of recipient in one language (app/letters/requests.py)."""

    authority = TextAreaField(
        _l("To an authority of the case (the demands addressed to it)"),
        validators=[Length(max=20_000)], render_kw={"rows": 10, "spellcheck": "false"})
    third_party = TextAreaField(
        _l("To a third party (an international body, a foreign government): to raise the case"),
        validators=[Length(max=20_000)], render_kw={"rows": 10, "spellcheck": "false"})
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))
