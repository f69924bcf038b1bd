"""A draft as it will look: the real public page template and the real letter PDFs, shown only
to the coordinators who may edit it."""

from __future__ import annotations

from dataclasses import dataclass

from app.appeals.localized import appeal_text
from app.appeals.queries import public_signers
from app.appeals.rendering import render_markdown
from app.appeals.translations import available_languages
from app.directory.resolve import resolve
from app.directory.routing import appeal_recipients
from app.directory.translations import text
from app.i18n import current_language
from app.letters.service import LettersNotAllowed, appeal_posts, letter_language, letter_unit, unit_pdf
from app.models import Appeal, Post
from app.public.forms import SignForm
from app.publicpage.page import page_extras


def page_context(appeal: Appeal) -> dict:
    """What public/appeal.html needs, as the public page gives it (the sign form shows while the
    appeal is open; its button posts to the public page)."""
    language, recipients = current_language(), appeal_recipients(appeal)
    form = SignForm(formdata=None, recipient_choices=[(r.post_id, text(r.post, language, "label"))
                                                      for r in recipients])
    return {
        "appeal": appeal, "text": appeal_text(appeal, language), "form": form,
        "recipients": [(r, resolve(r.post)) for r in recipients],
        "body_html": render_markdown(appeal.body_md), "signers": public_signers(appeal),
        **page_extras(appeal),
    }


@dataclass
class LetterLink:
    post: Post
    role: str
    language: str  # the language the letter to this post is written in
    languages: list[str]  # every language a whole letter can be written in


def letter_list(appeal: Appeal) -> list[LetterLink]:
    """One entry per recipient, in the one recipient order."""
    languages = available_languages(appeal)
    return [LetterLink(post, role, letter_language(appeal, post), languages)
            for post, role in appeal_posts(appeal)]


def letter_pdf(appeal: Appeal, post_slug: str, language: str | None) -> bytes | None:
    """The joint letter to one recipient as it will be printed; None for a post the appeal does
    not write to or a language its text is not complete in."""
    post = next((p for p, _role in appeal_posts(appeal) if p.slug == post_slug), None)
    if post is None:
        return None
    try:
        unit = letter_unit(appeal, post, language=language, draft_preview=True)
    except LettersNotAllowed:
        return None
    return unit_pdf(unit)
