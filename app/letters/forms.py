"""Forms of the letters area (every POST goes through a form, for CSRF)."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.forms_common import no_control_characters, strip_filter

LANGUAGE_CHOICES = [SelectChoice("", "Each recipient's preferred language"), SelectChoice("en", "English"),
                    SelectChoice("ru", "Russian"), SelectChoice("kk", "Kazakh (Russian text, Kazakh dates)")]


class LetterTemplateForm(FlaskForm):
    subject = StringField("Subject line", filters=[strip_filter],
                          validators=[Optional(), Length(max=300), no_control_characters])
    language = SelectField("Default letter language", choices=[
        SelectChoice("en", "English"), SelectChoice("ru", "Russian"), SelectChoice("kk", "Kazakh")])
    body = TextAreaField("Letter body (Jinja template; empty = the bundled default)",
                         validators=[Length(max=100_000)],
                         render_kw={"rows": 24, "spellcheck": "false"})
    preview = SubmitField("Preview")
    save = SubmitField("Save")


class BatchForm(FlaskForm):
    language = SelectField("Language", choices=LANGUAGE_CHOICES, validators=[Optional()])
