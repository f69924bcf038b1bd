"""The letters delivery sends, from the letters module when it offers them, else a plain version.

The letters area (app/letters/service.py) typesets the real letters; delivery only needs bytes and
text. Each function here asks it first and falls back to a plain rendering of the appeal's own
letter text, so delivery keeps working (and is tested) on its own.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date

from flask import render_template
from pypdf import PdfReader

from app.letters.views import signatory_view
from app.models import Appeal, Post, Signature

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LetterText:
    subject: str
    text: str
    html: str | None = None


def _letters(name: str):
    """A function of app.letters.service if that module has it yet, else None."""
    try:
        from app.letters import service
    except ImportError:
        return None
    return getattr(service, name, None)


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
    from dataclasses import replace

    from app.letters.service import letter_unit
    from app.letters.views import SignerView

    unit = letter_unit(appeal, post, with_annex=False)
    # The body's language (Kazakh letters use the Russian body), so the signature matches it.
    name = unit.strings["supporter"]
    return replace(unit, signer=SignerView(name=name, city=None, country="", country_name=""),
                   cc=(), with_annex=False)


def supporter_letter(appeal: Appeal, post: Post, signer: Signature | None = None) -> LetterText:
    """What a supporter sends from their own mailbox: the signer's letter, or a generic one."""
    try:
        if signer is not None and _letters("signer_letter_email") is not None:
            return LetterText(*_letters("signer_letter_email")(signer, post))
        if signer is None and _letters("letter_unit") is not None:
            from app.letters.email import unit_email

            return LetterText(*unit_email(_generic_unit(appeal, post)))
    except Exception:  # noqa: BLE001 - a broken template must not leave supporters with nothing
        log.exception("letters module failed; offering the plain letter of %s", appeal.slug)
    return plain_letter(appeal, post, signer)


def supporter_letter_pdf(appeal: Appeal, post: Post, signer: Signature | None = None) -> bytes:
    """The supporter's letter as a PDF to print, post or fax."""
    try:
        if signer is not None and _letters("signer_letter_pdf") is not None:
            return _letters("signer_letter_pdf")(signer, post)
        if signer is None and _letters("unit_pdf") is not None:
            return _letters("unit_pdf")(_generic_unit(appeal, post))
    except Exception:  # noqa: BLE001 - as above
        log.exception("letters module failed; offering the plain PDF of %s", appeal.slug)
    return text_pdf(plain_letter(appeal, post, signer))


def official_letter_pdf(appeal: Appeal, post: Post, on: date | None = None) -> bytes:
    """The appeal's letter to `post` (with its signature count) for a delivery batch."""
    build = _letters("recipient_letter_pdf")
    if build is not None:
        return build(appeal, post, on=on)
    return text_pdf(plain_letter(appeal, post))


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
