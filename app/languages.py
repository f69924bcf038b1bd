"""The languages Appeal Desk speaks, and the one fallback rule. Defined here and nowhere else.

Adding a language: its gettext catalog (`app/translations/<code>/LC_MESSAGES/messages.po`), its
letter body (`letter_templates/bodies/`), and one entry in LANGUAGES below.
"""

from __future__ import annotations

# Code -> the language's own name (what a language link shows). Order is the display order.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "fr": "Français",
}
CODES: tuple[str, ...] = tuple(LANGUAGES)
DEFAULT_LANGUAGE = "en"
# A text missing in a language is taken from the next one here; Kazakh readers in Kazakhstan
# read Russian, which is the other official language there.
FALLBACK: dict[str, str] = {"kk": "ru"}


def is_supported(code: str | None) -> bool:
    """True for a language this installation speaks."""
    return code in LANGUAGES


def fallback_chain(code: str | None) -> list[str]:
    """The languages to try for `code`, best first, ending with the default language."""
    chain: list[str] = []
    current = code if is_supported(code) else DEFAULT_LANGUAGE
    while current and current not in chain:
        chain.append(current)
        current = FALLBACK.get(current)
    if DEFAULT_LANGUAGE not in chain:
        chain.append(DEFAULT_LANGUAGE)
    return chain


def resolved(code: str | None, available) -> str:  # noqa: ANN001
    """The first language of `code`'s fallback chain that is in `available`."""
    for candidate in fallback_chain(code):
        if candidate in available:
            return candidate
    return DEFAULT_LANGUAGE


def letter_locale(code: str | None) -> str:
    """The Babel locale a letter is formatted in: British English for "en", else the language."""
    return "en_GB" if not code or code == "en" else code
