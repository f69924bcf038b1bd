"""Appeal bodies: Markdown rendered to HTML, then sanitised with nh3 (no script, no remote assets)."""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
    "code", "pre", "hr", "sup", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}


def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML: images are dropped (they would load from other hosts)."""
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


def markdown_as_text(text: str) -> str:
    """Markdown read as plain text on one line: the words without the marks (for short
    descriptions shown as text, like a timeline entry)."""
    words = nh3.clean(_markdown.render(text or ""), tags=set())
    return " ".join(html.unescape(words).split())
