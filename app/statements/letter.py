"""The statement as a letter to one recipient, through the letters capability (app/letters).

The statement text is a letter body template: it sees the letter variables of docs/letters.md,
with `appeal.signatory_count` the number of listed organisations and `signatories` the
individuals who co-signed. The signature block of the letter lists the undersigned
organisations (name, country); anonymous ones as "An organisation in <country>".
"""

from __future__ import annotations

import dataclasses
from datetime import date

import nh3
from markupsafe import Markup

from app.appeals.rendering import ALLOWED_ATTRIBUTES
from app.directory.resolve import resolve
from app.letters.editor import PREVIEW_TAGS
from app.letters.frame import frame_strings
from app.letters.render import LetterRenderError, render_body, reshape_body
from app.letters.service import (
    LettersNotAllowed,
    letter_language,
    letter_unit,
    recipient_view,
    unit_pdf,
)
from app.letters.views import LetterUnit, SignatoryView, UndersignedView, country_name
from app.models.statement import Statement, StatementRecipient
from app.statements.listing import cosigners, undersigned
from app.statements.rendering import StatementTemplateError, paragraphs_html
from app.statements.service import recipients_of
from app.template_sandbox.environment import LetterTemplateError


def statement_unit(statement: Statement, link: StatementRecipient, *, on: date | None = None,
                   with_individuals: bool = True) -> LetterUnit:
    """The letter record of the statement to one recipient. Raises LettersNotAllowed."""
    on = on or date.today()
    appeal = statement.appeal
    # The statement's text exists in one language, its appeal's own: every letter of it is in
    # that language (the frame of a post's preferred language around it would mix two).
    language = letter_language(appeal, link.post, appeal.letter_language or "en")
    entries = undersigned(statement)
    names = []
    for entry in entries:
        country = country_name(entry.country_code, language)
        if entry.anonymous:
            template = frame_strings(language)["anonymous_organisation"]
            names.append(UndersignedView(name=template.format(country=country)))
        else:
            names.append(UndersignedView(name=entry.name, country_name=country))
    # Individuals are listed under the organisations by the letter's layout, its heading
    # from the catalog ("Also signed by individuals").
    people = tuple(
        SignatoryView(name=p.name, city=p.affiliation, country=p.country,
                      country_name=country_name(p.country, language))
        for p in cosigners(statement)
    ) if statement.allow_individuals and with_individuals else ()
    unit = letter_unit(appeal, link.post, on=on, language=language, with_annex=False,
                       undersigned=names,
                       body_source=statement.text, subject=statement.title, signatories=people,
                       count=len(entries))
    # The statement's own Cc list, not the appeal's; the appeal's footnotes are not the statement's.
    unit.cc = tuple(
        recipient_view(r.post, resolve(r.post, on=on), language, role="cc")
        for r in recipients_of(statement) if r.role == "cc" and r.post_id != link.post_id
    )
    unit.appeal = dataclasses.replace(unit.appeal, sources=())
    unit.request_source = None  # the statement's text is the whole letter: it asks for itself
    return unit


def letter_pdf(statement: Statement, link: StatementRecipient, *, on: date | None = None) -> bytes:
    """The statement to one recipient as a PDF. Raises StatementTemplateError, LettersNotAllowed."""
    try:
        unit = statement_unit(statement, link, on=on)
        # Paragraphs as the public page shows them: HTML would run plain text into one block.
        reshape_body(unit, paragraphs_html)
        return unit_pdf(unit)
    except (LetterTemplateError, LetterRenderError) as error:
        raise StatementTemplateError(str(error)) from None


def public_text_html(statement: Statement) -> Markup | None:
    """The text as it reads to the first To recipient, cleaned HTML; None while letters are
    not allowed (paused appeal) or when the statement has no recipient."""
    recipients = recipients_of(statement)
    if not recipients:
        return None
    try:
        unit = statement_unit(statement, recipients[0], with_individuals=False)
        body = render_body(unit)
    except LettersNotAllowed:
        return None
    except LetterTemplateError as error:
        raise StatementTemplateError(str(error)) from None
    salutation = Markup("<p>{},</p>\n").format(unit.recipient.salutation)
    # The template source is the coordinator's own HTML: cleaned before it reaches the public,
    # to the tags the letter preview allows (no <img>, no style: nothing loads from elsewhere).
    return Markup(nh3.clean(str(salutation + paragraphs_html(body)), tags=PREVIEW_TAGS,
                            attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"}))
