"""Rendering a statement's text (a coordinator-edited template) in the letters sandbox.

The text sees the letter variables of docs/letters.md: appeal, recipient, post, holder, signer
(always empty here), signatories (the listed organisations), organisation (who coordinates) and
date. Autoescape is on; every failure is a StatementTemplateError naming the line.
"""

from __future__ import annotations

import html

from markupsafe import Markup


class StatementTemplateError(ValueError):
    """The statement text is not a valid template; the message names the line."""


def _sandbox():
    from app.template_sandbox import environment as sandbox

    return sandbox


def check_template(source: str) -> None:
    """Raise StatementTemplateError if `source` does not compile in the sandbox."""
    from app.template_sandbox.process import check_compiles

    sandbox = _sandbox()
    try:
        check_compiles(source)
    except sandbox.LetterTemplateError as error:
        raise StatementTemplateError(_describe(error)) from None


def _describe(error) -> str:  # noqa: ANN001
    return f"Line {error.line}: {error.message}" if error.line else str(error.message)


def paragraphs_html(text: Markup) -> Markup:
    """Rendered text as HTML: kept as is when it has block tags, else blank lines make <p>s."""
    text = Markup(text)
    if "<p" in text or "<ol" in text or "<ul" in text:
        return text
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(Markup(line) for line in block.split("\n")))
        for block in blocks
    )


def plain(text: Markup) -> str:
    """Rendered text back to plain text (tags dropped, entities decoded)."""
    return html.unescape(Markup(text).striptags())
