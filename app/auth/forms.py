"""Forms of the accounts area: log-in, log-out and password reset."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.service import MIN_PASSWORD_LENGTH
from app.forms_common import ascii_local_part


class LoginForm(FlaskForm):
    email = StringField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail.")), Length(max=254),
                                                  ascii_local_part])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                     Length(max=1000)])


class LogoutForm(FlaskForm):
    pass


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Your account's e-mail"), validators=[
        DataRequired(_l("Enter your e-mail.")), Length(max=254), ascii_local_part])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=1000,
               message=_l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("The same again"), validators=[
        DataRequired(_l("Enter the password a second time.")),
        EqualTo("password", _l("The two passwords differ."))])

    def validate_password(self, field) -> None:  # noqa: ANN001
        if field.data and field.data.strip() != field.data:
            raise ValidationError(_("Remove spaces at the start or end."))
