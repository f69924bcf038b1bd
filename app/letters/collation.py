"""Names in the alphabetical order of a letter's language, by ICU's collation (PyICU).

A byte-wise ORDER BY puts the Kazakh letters (Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І) after Я and "Émile"
after "Zoe", and SQLite and PostgreSQL disagree; the Kazakh and Russian collations put Ә after А
and Қ after К, as a reader of the annex expects.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import icu

from app.languages import letter_locale


@lru_cache(maxsize=8)
def _collator(language: str):  # noqa: ANN202
    return icu.Collator.createInstance(icu.Locale(letter_locale(language)))


def sort_key(language: str) -> Callable[[str], bytes]:
    """A key that orders texts as the letter's `language` does (ICU sort keys, as bytes)."""
    return _collator(language).getSortKey
