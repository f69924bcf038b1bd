"""Organisation key pairs: the public half stored on the group, the private half handed out once.

Design (docs/threat-model.md): the private key is generated in memory, returned as the text
of a key file that the coordinator downloads (or an admin's terminal prints), and dropped.
It is never written to the server's disk, never logged and never stored, in clear or under a
passphrase: whoever holds the server cannot open a signer's details. Losing the file loses
access to the sealed details (the public forms and counts stay).
"""

from __future__ import annotations

import base64
import binascii

from nacl.public import PrivateKey

from app.extensions import db
from app.models import Group, utcnow

KEY_FILE_HEADER = "appeal-desk organisation key v1"
MAX_KEY_FILE_BYTES = 4096


class KeyFileError(Exception):
    """An uploaded key file that is not one, or not this organisation's; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "missing", "unreadable" or "other_organisation"


class KeyRequired(Exception):
    """An action that opens sealed details (addresses for an export or an update) was asked for
    without the organisation's key; the views ask for the key file before calling it."""


class KeyExistsError(Exception):
    """The organisation has a key already: replacing it would lock away every sealed detail."""


def key_file_name(group: Group) -> str:
    return f"{group.slug}.appeal-desk-key"


def key_file_text(group: Group, private_key: PrivateKey) -> str:
    """The key file: a header, the organisation it opens, the private key in base64."""
    encoded = base64.b64encode(bytes(private_key)).decode()
    return (f"{KEY_FILE_HEADER}\norganisation: {group.slug}\nprivate-key: {encoded}\n"
            "Keep this file offline. Appeal Desk keeps no copy: without it, signers' e-mail "
            "addresses and names cannot be read again.\n")


def create_group_key(group: Group, *, replace: bool = False) -> str:
    """Give `group` a new key pair; store the public key and return the key file text. Commits.

    Raises KeyExistsError if it has one and `replace` is not set.
    """
    if group.public_key is not None and not replace:
        raise KeyExistsError(group.slug)
    private_key = PrivateKey.generate()
    group.public_key = bytes(private_key.public_key)
    group.key_created_at = utcnow()
    db.session.commit()
    return key_file_text(group, private_key)


def read_key_file(data: bytes, group: Group) -> PrivateKey:
    """The private key in an uploaded key file, checked against `group`'s public key.

    Raises KeyFileError: "missing" (empty), "unreadable" (not a key file) or
    "other_organisation" (a key file, but its public half is not this group's).
    """
    if not data:
        raise KeyFileError("missing")
    fields = {}
    for line in data[:MAX_KEY_FILE_BYTES].decode("utf-8", "replace").splitlines():
        label, _, value = line.partition(":")
        fields[label.strip()] = value.strip()
    try:
        raw = base64.b64decode(fields.get("private-key", ""), validate=True)
        private_key = PrivateKey(raw)
    except (binascii.Error, ValueError, TypeError) as error:
        raise KeyFileError("unreadable") from error
    if group.public_key is None or bytes(private_key.public_key) != group.public_key:
        raise KeyFileError("other_organisation")
    return private_key
