"""A supporter's letter as an e-mail body: the same sandboxed template as the PDF."""

from __future__ import annotations

import html
import re

import nh3

from app.letters.render import layout_environment, render_body
from app.letters.views import LetterUnit

_BREAKS = re.compile(r"<br\s*/?>|</p>|</li>|</h\d>|</div>", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """Paragraphs and line breaks kept, every tag dropped, entities decoded."""
    text = _BREAKS.sub(lambda m: "\n" if m.group(0).lower().startswith("<br") else m.group(0) + "\n\n",
                       markup)
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def unit_email(unit: LetterUnit) -> tuple[str, str, str]:
    """(subject, text, html) for a signer's LetterUnit."""
    markup = layout_environment().get_template("layout/email.html").render(
        u=unit, t=unit.strings, body=render_body(unit))
    subject = " ".join(unit.appeal.subject.split())
    return subject, html_to_text(markup), markup
