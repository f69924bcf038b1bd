"""LetterUnit records to HTML and PDF with WeasyPrint (always through the asset fetcher).

Each letter is laid out as its own document, so its footer reads "page / pages" of that
letter; a fax cover is a document of its own, announcing the letter's pages plus itself.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from app.letters.fetcher import ASSET_BASE_URL, asset_fetcher
from app.letters.views import LetterUnit
from app.template_sandbox.environment import (
    TEMPLATE_ROOT,
    LetterTemplateError,
    format_date_filter,
    render_named_template,
)
from app.template_sandbox.process import render_isolated


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


def _request_inputs(unit: LetterUnit) -> tuple:
    return (unit.request_source, unit.request_template, *unit.request_context().values())


def _still_valid(prepared: tuple | None, current: tuple) -> Markup | None:
    """What was rendered earlier, if the unit still holds the very objects it was rendered from
    (dataclasses.replace with another signer or recipient makes it render again)."""
    if prepared is None:
        return None
    inputs, rendered = prepared
    # Names and sources compare by value (a template name is made anew on each call), records by
    # identity (comparing 10,000 signatories by value would cost more than rendering again).
    if len(inputs) == len(current) and all(
            a is b or (isinstance(a, str) and a == b) for a, b in zip(inputs, current, strict=True)):
        return rendered
    return None


# What render_missing renders: (the coordinator's source, the bundled template, the variables,
# what it is rendered from, the LetterUnit field that keeps it).
_PARTS = {
    "request": (lambda u: u.request_source, lambda u: u.request_template,
                LetterUnit.request_context, _request_inputs, "prepared_request"),
    "body": (lambda u: u.body_source, lambda u: f"bodies/{u.body_language}.html",
             LetterUnit.template_context, _body_inputs, "prepared_body"),
}


def _render_missing(units: list[LetterUnit], part: str) -> None:
    """Render `part` of each unit not rendered yet: the coordinator's templates all in ONE call
    to the isolated sandbox process (hard time and memory limits), bundled ones here."""
    source_of, bundled_of, context_of, inputs_of, slot = _PARTS[part]
    waiting = [u for u in units if _still_valid(getattr(u, slot), inputs_of(u)) is None]
    edited = [u for u in waiting if source_of(u)]
    rendered = render_isolated([(source_of(u), context_of(u)) for u in edited])
    by_unit = {id(u): markup for u, markup in zip(edited, rendered, strict=True)}
    for unit in waiting:
        markup = by_unit[id(unit)] if source_of(unit) else render_named_template(
            bundled_of(unit), context_of(unit))
        setattr(unit, slot, (inputs_of(unit), markup))


def prepare_bodies(units: list[LetterUnit]) -> None:
    """Render the bodies of `units` not rendered yet, each after its request (`{{ request }}`,
    the request to this recipient for its role).

    Raises LetterTemplateError (a coordinator's template failed or went over a limit).
    """
    _render_missing(units, "request")
    _render_missing(units, "body")


def render_request(unit: LetterUnit) -> Markup:
    """The request to this recipient for its role: the coordinator's template if set, else the
    bundled one (letter_templates/requests/)."""
    _render_missing([unit], "request")
    return unit.prepared_request[1]


def render_body(unit: LetterUnit) -> Markup:
    """The letter body: the coordinator's template if set, else the bundled one for the language."""
    prepare_bodies([unit])
    return unit.prepared_body[1]


def reshape_body(unit: LetterUnit, change) -> None:  # noqa: ANN001
    """Render the body of `unit` and keep `change(body)` as the body its letter prints (e.g. a
    sign-on statement's plain paragraphs made into <p>s)."""
    body = render_body(unit)
    unit.prepared_body = (unit.prepared_body[0], change(body))


def letter_section(unit: LetterUnit, index: int, page_name: str, fit: str = "") -> str:
    """One letter as an HTML <section>; `fit` is one of FIT_STEPS (how tightly its text is set)."""
    return layout_environment().get_template("layout/letter.html").render(
        u=unit, t=unit.strings, body=render_body(unit), index=index, page_name=page_name, fit=fit)


def cover_section(unit: LetterUnit, index: int, pages: int) -> str:
    """The fax cover sheet for `unit`, announcing `pages` pages including itself."""
    return layout_environment().get_template("layout/fax_cover.html").render(
        u=unit, t=unit.strings, index=index, pages=pages)


def document_html(sections: list[str], *, language: str = "en", title: str = "Letters",
                  link_stylesheet: bool = True) -> str:
    """The whole HTML document around `sections`."""
    return layout_environment().get_template("layout/document.html").render(
        sections=Markup("\n".join(sections)), language=language, title=title,
        link_stylesheet=link_stylesheet)


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


# How tightly a letter's own text is set (letter.css), tried in turn until the letter ends with
# its closing and Cc on page 1: an official gets one page, never a closing alone on page 2.
FIT_STEPS = ("", "fit-compact", "fit-tight")


def letter_document(unit: LetterUnit):
    """One letter laid out on its own ("page / pages" counts its own pages, annex included),
    set tighter when its text would not end on page 1 (the longest still overflows, as is)."""
    for fit in FIT_STEPS:
        html = document_html([letter_section(unit, 0, "tall", fit)], language=unit.language,
                             title=unit.appeal.subject, link_stylesheet=False)
        document = render_document(html)
        if "u-0-end" in document.pages[0].anchors:
            break
    return document


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


def cover_document(unit: LetterUnit, pages: int):
    """The fax cover of `unit`, announcing `pages` pages including itself."""
    html = document_html([cover_section(unit, 0, pages)], language=unit.language,
                         title=unit.appeal.subject, link_stylesheet=False)
    return render_document(html)


def unit_pdf_parts(unit: LetterUnit) -> tuple[bytes | None, bytes]:
    """(fax cover or None, letter) as PDF bytes."""
    letter = letter_document(unit)
    cover = cover_document(unit, len(letter.pages) + 1) if unit.fax_cover else None
    return (write_pdf(cover) if cover is not None else None), write_pdf(letter)


__all__ = ["LetterRenderError", "LetterTemplateError", "document_html", "letter_document",
           "letter_section", "prepare_bodies", "render_document", "render_request", "reshape_body",
           "unit_pdf_parts", "write_pdf"]
