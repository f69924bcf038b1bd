from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.forms_common import ascii_local_part


class LoginForm(FlaskForm):
    email = StringField("E-mail", validators=[DataRequired("Enter your e-mail."), Length(max=254),
                                              ascii_local_part])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."),
                                                     Length(max=1000)])


class LogoutForm(FlaskForm):
    pass
