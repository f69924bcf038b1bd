"""LetterUnit records to HTML and PDF with WeasyPrint (always through the asset fetcher).

Many letters go into ONE WeasyPrint document: each letter is its own page group (named page
`t<N>` where N is its page count, so the footer reads "1 / N"); the page counts are read back
from the laid-out pages and, when a guess was wrong, the document is laid out once more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from app.letters.fetcher import ASSET_BASE_URL, asset_fetcher
from app.letters.sandbox import (
    TEMPLATE_ROOT,
    LetterTemplateError,
    format_date_filter,
    render_named_template,
)
from app.letters.sandbox_process import render_isolated
from app.letters.views import LetterUnit


class LetterRenderError(Exception):
    """WeasyPrint refused the letter (e.g. it asked for a file or URL that is not an asset)."""


@cache
def layout_environment() -> Environment:
    """The trusted layout templates (letter_templates/layout/): autoescaped, strict."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATE_ROOT)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["format_date"] = format_date_filter
    return env


def _body_inputs(unit: LetterUnit) -> tuple:
    return (unit.body_source, unit.body_language, *unit.template_context().values())


def _prepared(unit: LetterUnit) -> Markup | None:
    """The body rendered earlier, if the unit still holds the very objects it was rendered from
    (dataclasses.replace with another signer or recipient makes it render again)."""
    if unit.prepared_body is None:
        return None
    inputs, body = unit.prepared_body
    current = _body_inputs(unit)
    if len(inputs) == len(current) and all(a is b for a, b in zip(inputs, current, strict=True)):
        return body
    return None


def prepare_bodies(units: list[LetterUnit]) -> None:
    """Render the bodies of `units` not rendered yet: the coordinator's templates all in ONE call
    to the isolated sandbox process (hard time and memory limits), bundled ones here.

    Raises LetterTemplateError (a coordinator's template failed or went over a limit).
    """
    waiting = [unit for unit in units if _prepared(unit) is None]
    edited = [unit for unit in waiting if unit.body_source]
    bodies = render_isolated([(unit.body_source, unit.template_context()) for unit in edited])
    for unit, body in zip(edited, bodies, strict=True):
        unit.prepared_body = (_body_inputs(unit), body)
    for unit in waiting:
        if not unit.body_source:
            body = render_named_template(f"bodies/{unit.body_language}.html", unit.template_context())
            unit.prepared_body = (_body_inputs(unit), body)


def render_body(unit: LetterUnit) -> Markup:
    """The letter body: the coordinator's template if set, else the bundled one for the language."""
    prepare_bodies([unit])
    return unit.prepared_body[1]


def letter_section(unit: LetterUnit, index: int, page_name: str) -> str:
    """One letter as an HTML <section>."""
    return layout_environment().get_template("layout/letter.html").render(
        u=unit, t=unit.strings, body=render_body(unit), index=index, page_name=page_name)


def cover_section(unit: LetterUnit, index: int, pages: int) -> str:
    """The fax cover sheet for `unit`, announcing `pages` pages including itself."""
    return layout_environment().get_template("layout/fax_cover.html").render(
        u=unit, t=unit.strings, index=index, pages=pages)


def document_html(sections: list[str], totals: set[int], *, language: str = "en",
                  title: str = "Letters", link_stylesheet: bool = True) -> str:
    """The whole HTML document; `totals` are the page counts that need a `t<N>` page rule."""
    return layout_environment().get_template("layout/document.html").render(
        sections=Markup("\n".join(sections)), totals=sorted(totals), language=language,
        title=title, link_stylesheet=link_stylesheet)


@cache
def _shared_resources():
    """Font configuration and parsed stylesheet, once per process (fonts come via the fetcher)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = CSS(filename=str(TEMPLATE_ROOT / "css" / "letter.css"), url_fetcher=asset_fetcher(),
              font_config=font_config)
    return font_config, css


def _refused_fetch(error: Exception) -> LetterRenderError:
    cause = error.__cause__ or error
    return LetterRenderError(f"the letter asks for something that is not a letter asset: {cause}")


def render_document(html: str, *, shared: bool = True):
    """Lay out `html` with WeasyPrint (assets only through the fetcher); returns the Document."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    try:
        if shared:
            font_config, css = _shared_resources()
            return HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=asset_fetcher()).render(
                stylesheets=[css], font_config=font_config)
        return HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=asset_fetcher()).render()
    except FatalURLFetchingError as error:
        raise _refused_fetch(error) from None


def write_pdf(document, target=None) -> bytes | None:
    """Write a rendered Document to bytes (or to a file path/object).

    Raises LetterRenderError when the letter links a file that is not a letter asset as an
    attachment (`<a rel="attachment">`): WeasyPrint fetches those only now.
    """
    from weasyprint.urls import FatalURLFetchingError

    try:
        return document.write_pdf(target)
    except FatalURLFetchingError as error:
        raise _refused_fetch(error) from None


_UNIT_ANCHOR = re.compile(r"^u-(\d+)$")


def unit_page_counts(document, units: int) -> list[int]:
    """Pages of each unit (`<section id="u-N">`), read from the laid-out pages."""
    counts = [0] * units
    current = None
    for page in document.pages:
        found = [int(m.group(1)) for name in page.anchors if (m := _UNIT_ANCHOR.match(name))]
        if found:
            current = max(found)
        if current is not None:
            counts[current] += 1
    return counts


@dataclass
class RenderedChunk:
    document: object
    page_counts: list[int]  # per rendered section (covers and letters), in order
    kinds: list[str]  # "cover" or "letter", per section
    owners: list[int]  # which LetterUnit each section belongs to


_learned_pages: dict[tuple, int] = {}  # per process: what letters of this shape came to


def _shape(unit: LetterUnit) -> tuple:
    return (unit.body_source, unit.body_language, unit.with_annex, len(unit.signatories),
            len(unit.signer.message or "") // 500 if unit.signer else None,
            len(unit.recipient.address_lines), len(unit.cc), len(unit.undersigned))


def estimate_pages(unit: LetterUnit) -> int:
    """A first guess of a letter's page count (checked after layout, so only speed depends on it):
    what the last letter of the same shape came to in this process, else a rough estimate."""
    learned = _learned_pages.get(_shape(unit))
    if learned:
        return learned
    pages = 1 + len(unit.signer.message or "") // 3000 if unit.signer else 1
    if unit.with_annex and unit.signatories:
        pages += 1 + len(unit.signatories) // 150
    return pages


def render_units(units: list[LetterUnit], *, single: bool = False) -> RenderedChunk:
    """Lay out `units` (with fax covers where asked) in one document, page totals verified.

    `single` renders one letter with "page / pages" of the whole document (no guessing).
    """
    prepare_bodies(units)
    guesses = [estimate_pages(unit) for unit in units]
    for _attempt in range(3):
        sections, kinds, owners, totals = [], [], [], set()
        for number, unit in enumerate(units):
            if unit.fax_cover:
                sections.append(cover_section(unit, len(sections), guesses[number] + 1))
                kinds.append("cover")
                owners.append(number)
            page_name = "tall" if single else f"t{guesses[number]}"
            totals.add(guesses[number])
            sections.append(letter_section(unit, len(sections), page_name))
            kinds.append("letter")
            owners.append(number)
        html = document_html(sections, set() if single else totals,
                             language=units[0].language if units else "en", link_stylesheet=False)
        document = render_document(html)
        counts = unit_page_counts(document, len(sections))
        actual = [count for count, kind in zip(counts, kinds, strict=True) if kind == "letter"]
        for unit, count in zip(units, actual, strict=True):
            _learned_pages[_shape(unit)] = count
        if single or actual == guesses:
            return RenderedChunk(document, counts, kinds, owners)
        guesses = actual
    raise LetterRenderError("the page count of a letter did not settle")  # pragma: no cover


__all__ = ["LetterRenderError", "LetterTemplateError", "prepare_bodies", "render_units", "document_html",
           "letter_section", "render_document", "unit_page_counts"]
