"""Forms that take an organisation's key file for one action, and the signer's delete button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from nacl.public import PrivateKey
from wtforms import SubmitField

from app.models import Group
from app.sealing.holder import key_from_upload
from app.sealing.keys import KeyFileError

KEY_FILE_ERRORS = {
    "missing": _l("Choose your organisation's key file."),
    "unreadable": _l("This file is not an Appeal Desk key file."),
    "other_organisation": _l("This key file is not your organisation's key."),
    "no_key": _l("Your organisation has no key yet: create one on the Organisation key page."),
}


def key_file_field(**options) -> FileField:  # noqa: ANN003
    """The organisation key file field; `id=` gives it its own id beside another form's."""
    return FileField(_l("Your organisation's key file"), **options)


class KeyFileMixin:
    """A key file field, read for this request only by `private_key`."""

    key_file = key_file_field()

    def private_key(self, group: Group | None) -> PrivateKey | None:
        """The uploaded key if it is `group`'s; else None, with the reason on the field."""
        try:
            return key_from_upload(self.key_file.data, group)
        except KeyFileError as error:
            self.key_file.errors = [*self.key_file.errors, str(KEY_FILE_ERRORS[error.reason])]
            return None


class CreateKeyForm(FlaskForm):
    submit = SubmitField(_l("Create the key and download it"))


class DeleteOwnForm(FlaskForm):
    submit = SubmitField(_l("Withdraw my signature and delete my data"))
