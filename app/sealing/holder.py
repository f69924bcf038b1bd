"""The coordinator's private key for one action: read from an upload, held in memory, dropped.

`key_from_upload` returns a key object that lives as long as the caller's local variable:
the request (or the streamed response, or the job) that needed it. Nothing keeps it: no
session, no `g`, no cache, no log, no temporary file (a key file is a few hundred bytes and
Werkzeug keeps uploads that small in memory).
"""

from __future__ import annotations

from nacl.public import PrivateKey

from app.models import Group
from app.sealing.keys import MAX_KEY_FILE_BYTES, KeyFileError, read_key_file


def key_from_upload(upload, group: Group | None) -> PrivateKey:  # noqa: ANN001
    """The private key in an uploaded key file (a FileStorage or None), if it is `group`'s.

    Raises KeyFileError ("missing", "unreadable", "other_organisation" or "no_key").
    """
    if group is None or group.public_key is None:
        raise KeyFileError("no_key")
    data = upload.read(MAX_KEY_FILE_BYTES + 1) if upload else b""
    return read_key_file(data, group)


def key_from_file(text: bytes, group: Group | None) -> PrivateKey:
    """The same, from a key file's bytes (the CLI reads it from standard input)."""
    if group is None or group.public_key is None:
        raise KeyFileError("no_key")
    return read_key_file(text, group)
