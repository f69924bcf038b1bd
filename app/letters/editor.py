"""The in-app letter template editor: check a body against a real recipient, preview, save."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

import nh3
from markupsafe import Markup

from app.appeals.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from app.extensions import db
from app.languages import fallback_chain
from app.letters.render import LetterRenderError, letter_document, render_body, write_pdf
from app.letters.service import LettersNotAllowed, appeal_posts, appeal_view, letter_unit
from app.letters.views import (
    LetterUnit,
    OrganisationView,
    PostView,
    RecipientView,
)
from app.models import Appeal
from app.template_sandbox.environment import LetterTemplateError

PREVIEW_TAGS = ALLOWED_TAGS | {"div", "span", "h1", "h5", "h6"}


@dataclass
class Outcome:
    error: LetterTemplateError | None = None
    preview: Markup | None = None
    saved: bool = False


def form_data(appeal: Appeal) -> SimpleNamespace:
    """What the editor shows first: the saved body, or the bundled default to start from."""
    from app.template_sandbox.environment import TEMPLATE_ROOT

    language = next((code for code in fallback_chain(appeal.letter_language)
                     if (TEMPLATE_ROOT / "bodies" / f"{code}.html").exists()), "en")
    body = appeal.letter_body or (TEMPLATE_ROOT / "bodies" / f"{language}.html").read_text("utf-8")
    return SimpleNamespace(body=body, language=appeal.letter_language or "en",
                           subject=appeal.letter_subject or "")


def _sample_unit(appeal: Appeal, body: str, language: str, subject: str | None) -> LetterUnit:
    posts = appeal_posts(appeal)
    if posts:
        try:
            return letter_unit(appeal, posts[0][0], language=language, body_source=body,
                               subject=subject or None)
        except LettersNotAllowed:
            pass
    org = OrganisationView(name=appeal.group.name if appeal.group else "Appeal Desk")
    from datetime import date

    return LetterUnit(
        language=language, body_source=body, date=date.today(), organisation=org, holder=None,
        # The appeal's text in the previewed language, as a letter would have it.
        appeal=appeal_view(appeal, language, subject=subject or None),
        recipient=RecipientView(slug="recipient", name="Recipient", post_label="Post",
                                organisation="Organisation", salutation="Dear Sir or Madam",
                                language=language),
        post=PostView(slug="recipient", label="Post", organisation="Organisation",
                      salutation="Dear Sir or Madam"),
    )


def check(appeal: Appeal, body: str, language: str, subject: str | None) -> Outcome:
    """Compile and render `body` for the appeal's first recipient; never raises."""
    source = (body or "").strip()
    try:
        unit = _sample_unit(appeal, source, language, subject)  # "" = the bundled body
        html = str(render_body(unit))
        _check_layout(unit)
    except LetterTemplateError as error:
        return Outcome(error=error)
    preview = nh3.clean(html, tags=PREVIEW_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes={"http", "https", "mailto"})
    return Outcome(preview=Markup(preview))


def _check_layout(unit: LetterUnit) -> None:
    """Lay the letter out once (without the annex), so links to files or hosts that letters may
    not load are refused now rather than when the letters are made."""
    try:
        write_pdf(letter_document(dataclasses.replace(unit, with_annex=False)))
    except LetterRenderError as error:
        raise LetterTemplateError(str(error)) from None


def save(appeal: Appeal, body: str, language: str, subject: str | None) -> None:
    """Store the body (empty = back to the bundled default), language and subject; commits."""
    appeal.letter_body = (body or "").strip() or None
    appeal.letter_language = language
    appeal.letter_subject = subject or None
    db.session.commit()
