"""Organisation key files and sealed boxes: only the right key opens, and says so plainly."""

from __future__ import annotations

import pytest
from nacl.public import PrivateKey

from app.sealing.boxes import (
    SealError,
    SignerDetails,
    clear_name,
    open_own_copy,
    open_sealed,
    seal,
    seal_own_copy,
)
from app.sealing.keys import KeyExistsError, KeyFileError, create_group_key, read_key_file
from tests.builders import make_group, make_keyed_group

DETAILS = SignerDetails(name="Әлия Нұрғалиқызы", email="aliya@example.org", city="Алматы",
                        message="Free him.")


def test_sealed_details_open_only_with_the_matching_key():
    key = PrivateKey.generate()
    sealed = seal(DETAILS, bytes(key.public_key))
    assert DETAILS.email.encode() not in sealed and DETAILS.name.encode() not in sealed
    assert open_sealed(sealed, key) == DETAILS
    with pytest.raises(SealError):
        open_sealed(sealed, PrivateKey.generate())


def test_own_copy_opens_only_with_its_secret():
    copy = seal_own_copy(DETAILS, "secret-one")
    assert open_own_copy(copy, "secret-one") == DETAILS
    with pytest.raises(SealError):
        open_own_copy(copy, "secret-two")


@pytest.mark.parametrize(("display", "letters", "expected"), [
    ("none", "count_only", None), ("initials", "count_only", "Ә. Н."),
    ("full", "count_only", "Әлия Нұрғалиқызы"), ("none", "name_country", "Әлия Нұрғалиқызы"),
    ("initials", "name_country", "Әлия Нұрғалиқызы"),
])
def test_only_the_name_form_the_signer_disclosed_is_kept_in_clear(display, letters, expected):
    assert clear_name(DETAILS.name, display, letters) == expected


def test_key_file_errors_name_the_reason(db):
    group, key = make_keyed_group()
    other, other_key = make_keyed_group(slug="other", name="Other")
    assert bytes(read_key_file(key.encode(), group).public_key) == group.public_key
    for data, reason in ((b"", "missing"), (b"hello", "unreadable"),
                         (b"private-key: !!!", "unreadable"),
                         (other_key.encode(), "other_organisation")):
        with pytest.raises(KeyFileError) as caught:
            read_key_file(data, group)
        assert caught.value.reason == reason


def test_a_second_key_is_refused_unless_replacing(db):
    group, _key = make_keyed_group()
    with pytest.raises(KeyExistsError):
        create_group_key(group)
    first = group.public_key
    create_group_key(group, replace=True)
    assert group.public_key != first


def test_cli_prints_the_key_file_and_stores_only_the_public_key(app, db):
    group = make_group()
    result = app.test_cli_runner().invoke(args=["sealing", "create-key", group.slug])
    assert result.exit_code == 0, result.output
    private = read_key_file(result.output.encode(), group)
    assert bytes(private.public_key) == group.public_key
    again = app.test_cli_runner().invoke(args=["sealing", "create-key", group.slug])
    assert again.exit_code != 0 and "has a key already" in again.output
