"""Forms of the accounts an administrator runs: invite, role and organisation, disable."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.forms_common import ascii_local_part
from app.models import Group
from app.models.enums import UserRole

ROLE_LABELS = {
    UserRole.COORDINATOR: _l("Coordinator: runs the appeals of one organisation"),
    UserRole.STAFF: _l("Staff: letters and delivery, no signers"),
    UserRole.ADMIN: _l("Administrator: every organisation and the accounts"),
}


class AccountForm(FlaskForm):
    """An account's role and organisation (coordinators and staff must have one)."""

    role = SelectField(_l("Role"), choices=[SelectChoice(r.value, label)
                                            for r, label in ROLE_LABELS.items()],
                       default=UserRole.COORDINATOR.value)
    group_id = SelectField(_l("Organisation"), coerce=lambda v: int(v) if v else None)

    def with_groups(self, groups: list[Group]) -> AccountForm:
        """Offer these organisations (and none)."""
        self.group_id.choices = [SelectChoice("", _("None"))] + [
            SelectChoice(g.id, g.name) for g in groups]
        return self

    def validate_group_id(self, field) -> None:  # noqa: ANN001
        if self.role.data == UserRole.COORDINATOR and field.data is None:
            raise ValidationError(_("A coordinator sees the appeals of one organisation: choose it."))
        if self.role.data == UserRole.STAFF and field.data is None:
            # Without one, staff would log in to an empty list (app/auth/access.py).
            raise ValidationError(_("Staff work on the letters of one organisation: choose it."))


class InviteForm(AccountForm):
    """Invite someone by e-mail: the address, then role and organisation."""

    email = EmailField(_l("E-mail of the person to invite"), validators=[
        DataRequired(_l("Enter an e-mail address.")), Length(max=254), ascii_local_part,
        Email(_l("Enter an e-mail address like name@example.org."))])


class ActiveForm(FlaskForm):
    """Disable or enable an account (a button, with CSRF)."""
