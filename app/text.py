"""Small text checks shared by forms, e-mails and exports."""

from __future__ import annotations

import unicodedata

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def has_control_characters(value: str) -> bool:
    """True for CR, LF, NUL and any other Unicode control (Cc) or line/paragraph separator."""
    return any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value
    )


def spreadsheet_safe(value: object) -> object:
    """Neutralise a cell a spreadsheet would run as a formula, by prefixing an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def initials(name: str) -> str:
    """`Musagali Duambekov` -> `M. D.`"""
    return " ".join(part[0].upper() + "." for part in name.split() if part)
