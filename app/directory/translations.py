"""Directory names per language: what a letter in Russian calls its recipient.

Organisations, posts and people carry `translations`, one JSON value {language: fields}:

    organisation  {"ru": {"name": …}}
    post          {"ru": {"label": …, "label_dative": …, "salutation": …}}
    person        {"ru": {"name": …, "name_dative": …, "honorific_prefix": …}}

The base fields (Organization.name, Post.label, …) are in English. A letter in another language
uses, field by field, the translation when there is one (for Kazakh: the Kazakh one, else the
Russian one, as the letter body does), else the base text — a gap the letters page shows as
"recipient in English".
A person whose name is translated takes the translation's honorific (none when it has none), so
a Russian letter never reads "Mr Касым-Жомарт Токаев".

`label_dative` and `name_dative` are the forms a Russian address block needs ("Президенту
Республики Казахстан / Касым-Жомарту Токаеву"). They are used only together with the label and
name of the same language, and only when every line they would head is known in the dative;
otherwise the block stays in the nominative (name / post / organisation), which is a list of
names and reads correctly without a dative frame.
"""

from __future__ import annotations

from typing import Any

from app.languages import CODES as LANGUAGES
from app.languages import FALLBACK as FALLBACK_LANGUAGE

BASE_LANGUAGE = "en"
FIELDS: dict[str, tuple[str, ...]] = {
    "organization": ("name",),
    "post": ("label", "label_dative", "salutation"),
    "person": ("name", "name_dative", "honorific_prefix"),
}
MAX_LENGTHS = {"name": 300, "label": 300, "label_dative": 300, "name_dative": 300,
               "salutation": 120, "honorific_prefix": 40}

__all__ = ["BASE_LANGUAGE", "FIELDS", "LANGUAGES", "RecipientText", "missing", "post_translations",
           "recipient_text", "text", "translated"]


def translated(obj: Any, language: str | None, name: str) -> str | None:
    """Field `name` of `obj` as a letter in `language` has it: its translation, else (Kazakh)
    the Russian one; None when there is neither."""
    return _translated_with_language(obj, language, name)[0]


def _translated_with_language(obj: Any, language: str | None,
                              name: str) -> tuple[str | None, str | None]:
    """(translated field `name`, the language it was found in); (None, None) when none."""
    if not language or obj is None:
        return None, None
    stored = getattr(obj, "translations", None) or {}
    for candidate in (language, FALLBACK_LANGUAGE.get(language)):
        value = (stored.get(candidate) or {}).get(name) if candidate else None
        if value:
            return value, candidate
    return None, None


def _companion(obj: Any, found_in: str | None, companion: str) -> str | None:
    """Field `companion` (e.g. "label_dative") of the translation into `found_in`, the one the
    label or name came from: a Kazakh letter that borrows the Russian label may borrow its
    dative, never mix the two."""
    if found_in is None:
        return None
    return ((obj.translations or {}).get(found_in) or {}).get(companion) or None


def text(obj: Any, language: str | None, name: str) -> Any:
    """Field `name` of `obj` in `language`: the translation, else the base value."""
    return translated(obj, language, name) or getattr(obj, name)


class RecipientText:
    """A post, its organisation and its holder as a letter in `language` names them."""

    def __init__(self, post: Any, holder: Any, language: str):
        self.post, self.holder, self.language = post, holder, language
        label, label_language = _translated_with_language(post, language, "label")
        self.label: str = label or post.label
        self.label_dative: str | None = _companion(post, label_language, "label_dative")
        # A salutation the directory has not translated would put English into a Russian letter:
        # None then, and the letter uses the neutral salutation of its own language.
        self.salutation: str | None = translated(post, language, "salutation") or (
            (post.salutation or "Dear Sir or Madam") if language in (None, BASE_LANGUAGE) else None)
        self.organisation: str = text(post.organization, language, "name")
        self.holder_name: str | None = None
        self.holder_name_dative: str | None = None
        self.honorific_prefix: str | None = None
        if holder is not None:
            own_name, name_language = _translated_with_language(holder, language, "name")
            self.holder_name = own_name or holder.name
            self.holder_name_dative = _companion(holder, name_language, "name_dative")
            self.honorific_prefix = (translated(holder, language, "honorific_prefix") if own_name
                                     else holder.honorific_prefix)

    @property
    def addressee(self) -> str | None:
        """"Mr Marat Akhmetzhanov" / "Марат Ахметжанов"; None when no one holds the post."""
        if self.holder_name is None:
            return None
        return f"{self.honorific_prefix} {self.holder_name}" if self.honorific_prefix \
            else self.holder_name


def recipient_text(post: Any, holder: Any, language: str) -> RecipientText:
    """How a letter in `language` names `post`, its organisation and `holder` (a Person)."""
    return RecipientText(post, holder, language)


def missing(post: Any, holder: Any, language: str) -> list[str]:
    """What a letter in `language` to `post` still prints in the base language (English):
    ["post label", "salutation", "organisation name", "holder's name"]; [] in English."""
    if language == BASE_LANGUAGE:
        return []
    gaps = [what for obj, name, what in (
        (post, "label", "post label"), (post, "salutation", "salutation"),
        (post.organization, "name", "organisation name"), (holder, "name", "holder's name"),
    ) if obj is not None and not translated(obj, language, name)]
    return gaps


def post_translations(post: Any, holder: Any) -> dict[str, dict[str, str | None]]:
    """For the post page: per language that has any translation of the post, its organisation
    or `holder`, the translated label, salutation, organisation name and holder (None = none)."""
    objects = [post, post.organization] + ([holder] if holder is not None else [])
    found = {lang for obj in objects for lang, fields in ((obj.translations or {}).items()) if fields}
    result = {}
    for language in [lang for lang in LANGUAGES if lang in found] + sorted(found - set(LANGUAGES)):
        holder_name = _stored(holder, language, "name")
        prefix = _stored(holder, language, "honorific_prefix")
        result[language] = {
            "label": _stored(post, language, "label"),
            "label_dative": _stored(post, language, "label_dative"),
            "salutation": _stored(post, language, "salutation"),
            "organisation": _stored(post.organization, language, "name"),
            "holder": f"{prefix} {holder_name}" if prefix and holder_name else holder_name,
        }
    return result


def _stored(obj: Any, language: str, name: str) -> str | None:
    """Field `name` of the translation of `obj` into exactly `language` (no fallback)."""
    if obj is None:
        return None
    return ((obj.translations or {}).get(language) or {}).get(name)
