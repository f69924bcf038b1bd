"""The letters delivery sends, typeset by the letters area (app/letters/service.py).

Delivery only needs bytes and text. A coordinator's broken body template falls back to a plain
rendering of the appeal's own letter text, so supporters are never left with nothing.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace
from datetime import date

from flask import render_template
from pypdf import PdfReader

from app.directory.routing import Purpose
from app.letters.email import unit_email
from app.letters.frame import frame_strings
from app.letters.render import LetterRenderError
from app.letters.service import (
    letter_unit,
    recipient_letter_pdf,
    signer_letter_email,
    signer_letter_pdf,
    unit_pdf,
)
from app.letters.views import SignerView, signatory_view
from app.models import Appeal, Post, Signature
from app.template_sandbox.environment import LetterTemplateError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LetterText:
    subject: str
    text: str
    html: str | None = None


def _demands_for(appeal: Appeal, post: Post) -> list:
    own = [d for d in appeal.demands if d.post_id == post.id]
    return own or list(appeal.demands)


def subject_of(appeal: Appeal) -> str:
    return " ".join((appeal.letter_subject or appeal.title).split())


def plain_letter(appeal: Appeal, post: Post, signer: Signature | None = None) -> LetterText:
    """The appeal's letter to `post` as plain text, signed by `signer` or by "A supporter"."""
    shown = signatory_view(signer, "en") if signer is not None else None
    text = render_template(
        "delivery/letter.txt", appeal=appeal, post=post, demands=_demands_for(appeal, post),
        body=(appeal.letter_body or appeal.summary or "").strip(),
        signer_name=shown.name if shown else None, signer_country=shown.country if shown else None,
    )
    return LetterText(subject_of(appeal), text.strip() + "\n")


def _generic_unit(appeal: Appeal, post: Post):
    """The letters module's letter to `post`, signed "A supporter" (no personal data)."""
    unit = letter_unit(appeal, post, with_annex=False, purpose=Purpose.SUPPORTER_LETTER)
    name = frame_strings(unit.language)["a_supporter"]  # in the letter's language
    return replace(unit, signer=SignerView(name=name, city=None, country="", country_name=""),
                   cc=(), with_annex=False)


def supporter_letter(appeal: Appeal, post: Post, signer: Signature | None = None) -> LetterText:
    """What a supporter sends from their own mailbox: the signer's letter, or a generic one."""
    try:
        if signer is not None:
            return LetterText(*signer_letter_email(signer, post))
        return LetterText(*unit_email(_generic_unit(appeal, post)))
    except (LetterTemplateError, LetterRenderError):
        # A broken coordinator template must not leave supporters with nothing.
        log.exception("letter template failed; offering the plain letter of %s", appeal.slug)
    return plain_letter(appeal, post, signer)


def supporter_letter_pdf(appeal: Appeal, post: Post, signer: Signature | None = None) -> bytes:
    """The supporter's letter as a PDF to print, post or fax."""
    try:
        if signer is not None:
            return signer_letter_pdf(signer, post)
        return unit_pdf(_generic_unit(appeal, post))
    except (LetterTemplateError, LetterRenderError):
        log.exception("letter template failed; offering the plain PDF of %s", appeal.slug)
    return text_pdf(plain_letter(appeal, post, signer))


def official_letter_pdf(appeal: Appeal, post: Post, on: date | None = None) -> bytes:
    """The appeal's letter to `post` (with its signature count) for a delivery batch."""
    return recipient_letter_pdf(appeal, post, on=on)


def official_letter_text(appeal: Appeal, post: Post, on: date | None = None) -> LetterText:
    """The appeal's joint letter to `post` as text (what staff paste into a web form)."""
    subject, text, html = unit_email(letter_unit(appeal, post, on=on, with_annex=False))
    return LetterText(subject, text, html)


def signer_letter(signature: Signature, post: Post) -> tuple[LetterText, bytes]:
    """One signer's own letter to `post`, as e-mail text and PDF (per-signer delivery)."""
    letter = supporter_letter(signature.appeal, post, signature)
    return letter, supporter_letter_pdf(signature.appeal, post, signature)


def text_pdf(letter: LetterText) -> bytes:
    """A plain A4 PDF of a letter's text (the fallback when the letters module has none)."""
    from weasyprint import HTML

    from app.letters.fetcher import asset_fetcher

    html = render_template("delivery/letter_pdf.html", letter=letter)
    # The same asset-only fetcher as every letter: the template cannot reach files or the network.
    return HTML(string=html, url_fetcher=asset_fetcher()).write_pdf()


def page_count(pdf: bytes) -> int | None:
    try:
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except Exception:  # noqa: BLE001 - a count is informative only
        return None
