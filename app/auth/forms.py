"""Forms of the accounts area: log-in, log-out and password reset."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.service import MIN_PASSWORD_LENGTH
from app.forms_common import ascii_local_part


class LoginForm(FlaskForm):
    email = StringField("E-mail", validators=[DataRequired("Enter your e-mail."), Length(max=254),
                                              ascii_local_part])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     Length(max=1000)])


class LogoutForm(FlaskForm):
    pass


class ResetRequestForm(FlaskForm):
    email = EmailField("Your account's e-mail", validators=[
        DataRequired("Enter your e-mail."), Length(max=254), ascii_local_part])


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[
        DataRequired("Enter a new password."),
        Length(min=MIN_PASSWORD_LENGTH, max=1000,
               message=f"Use at least {MIN_PASSWORD_LENGTH} characters.")])
    confirm = PasswordField("The same again", validators=[
        DataRequired("Enter the password a second time."),
        EqualTo("password", "The two passwords differ.")])

    def validate_password(self, field) -> None:  # noqa: ANN001
        if field.data and field.data.strip() != field.data:
            raise ValidationError("Remove spaces at the start or end.")
