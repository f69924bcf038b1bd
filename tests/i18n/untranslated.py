"""Find text a person reads in a Jinja template that does not go through gettext."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?%\}.*?\{%-?\s*endtrans\s*-?%\}", re.S)
LETTERS = re.compile(r"[^\W\d_]{2,}")
# Words that read the same in every language of the site.
UNIVERSAL = {"UTC", "PDF"}
VISIBLE_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "value"}
SKIP_ELEMENTS = {"script", "style", "code", "pre"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in SKIP_ELEMENTS:
            self._skipping.append(tag)
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and LETTERS.search(value):
                # An input's value is what was typed; a button's value is sent, never shown.
                if not (tag in ("input", "button") and name == "value"):
                    self.found.append(value.strip())

    def handle_endtag(self, tag):  # noqa: ANN001
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):  # noqa: ANN001
        if not self._skipping and set(LETTERS.findall(data)) - UNIVERSAL:
            self.found.append(" ".join(data.split()))


def untranslated_text(source: str, *, plain_text: bool = False) -> list[str]:
    """Literal words of a template outside {{ _() }}, {% trans %} and other Jinja code."""
    # Statements become spaces (they may sit inside a tag), expressions a placeholder.
    without_code = EXPRESSION.sub("\x00", STATEMENT.sub(" ", TRANS_BLOCK.sub("\x00", source)))
    if plain_text:
        return [" ".join(line.split()) for line in without_code.splitlines() if LETTERS.search(line)]
    collector = _TextCollector()
    collector.feed(without_code)
    return collector.found


def untranslated_in(directory: Path, patterns: list[str]) -> dict[str, list[str]]:
    """{template path: untranslated text} for every template matching `patterns`."""
    problems: dict[str, list[str]] = {}
    for pattern in patterns:
        for path in sorted(directory.glob(pattern)):
            found = untranslated_text(path.read_text(), plain_text=path.suffix == ".txt")
            if found:
                problems[str(path.relative_to(directory))] = found
    return problems
