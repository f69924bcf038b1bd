"""Sealing a signer's details: to the organisation's public key, and to the signer's own secret."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from app.models.enums import LetterInclusion, PublicDisplay
from app.text import initials


class SealError(Exception):
    """Sealed details that this key does not open (another organisation's key, or damage)."""


@dataclass(frozen=True)
class SignerDetails:
    """What only the key holder (the organisation, or the signer's link) may read."""

    name: str
    email: str
    city: str | None = None
    message: str | None = None

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> SignerDetails:
        fields = json.loads(data)
        return cls(name=fields["name"], email=fields["email"], city=fields.get("city"),
                   message=fields.get("message"))


def clear_name(name: str, public_display: str, letter_inclusion: str) -> str | None:
    """The one form of the name the signer agreed to disclose, stored in clear.

    The full name if it goes into letters to officials or on the public page (they chose to
    give it out), initials if only those are shown, else nothing.
    """
    if letter_inclusion == LetterInclusion.NAME_COUNTRY or public_display == PublicDisplay.FULL:
        return name
    if public_display == PublicDisplay.INITIALS:
        return initials(name)
    return None


def seal(details: SignerDetails, public_key: bytes) -> bytes:
    """`details` sealed to an organisation's public key: an anonymous libsodium sealed box."""
    return SealedBox(PublicKey(public_key)).encrypt(details.to_bytes())


def open_sealed(sealed: bytes, private_key: PrivateKey) -> SignerDetails:
    """Open what `seal` made; raises SealError if `private_key` is not the one sealed to."""
    try:
        return SignerDetails.from_bytes(SealedBox(private_key).decrypt(sealed))
    except (CryptoError, ValueError, KeyError) as error:
        raise SealError("these details were not sealed to this key") from error


def open_signer(signature, private_key: PrivateKey) -> SignerDetails:  # noqa: ANN001
    """A signature's full details, with its organisation's private key; raises SealError."""
    if signature.sealed is None:
        raise SealError("this signature holds no details sealed to the organisation")
    return open_sealed(signature.sealed, private_key)


def _own_key(secret: str) -> bytes:
    # Not the token digest (SHA-256 of the same secret, stored): a separate, keyed derivation.
    return hashlib.blake2b(secret.encode(), digest_size=SecretBox.KEY_SIZE,
                           person=b"appeal-desk-own").digest()


def seal_own_copy(details: SignerDetails, secret: str) -> bytes:
    """The signer's own copy, which only the secret in their private link opens."""
    return bytes(SecretBox(_own_key(secret)).encrypt(details.to_bytes()))


def open_own_copy(own_copy: bytes, secret: str) -> SignerDetails:
    """Open the signer's own copy with their link's secret; raises SealError."""
    try:
        return SignerDetails.from_bytes(SecretBox(_own_key(secret)).decrypt(own_copy))
    except (CryptoError, ValueError, KeyError) as error:
        raise SealError("this secret does not open this copy") from error
