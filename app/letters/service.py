"""Letters from the database: per recipient, per signer, as e-mail, and the print batch.

Every function refuses an appeal whose letters are not allowed (draft or paused), resolves the
recipient with app.directory.resolve.resolve on the letter's date, and renders through
app.letters.render (WeasyPrint with the asset-only fetcher).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from datetime import date

import phonenumbers
from sqlalchemy import func, select

from app.appeals.translations import (
    FALLBACK_LANGUAGE,
    available_languages,
    bare_article,
    content_translation,
    is_available,
)
from app.directory.resolve import Resolution, resolve
from app.directory.routing import (
    Purpose,
    appeal_recipients,
    route,
)
from app.directory.translations import recipient_text, translated
from app.extensions import db
from app.letters.address import dative_heading_lines, heading_lines, postal_lines
from app.letters.collation import sort_key
from app.letters.frame import frame_strings, role_word, status_word
from app.letters.render import letter_document, write_pdf
from app.letters.views import (
    AppealView,
    ChargeGroup,
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
from app.models import Appeal, Post, Signature
from app.models.enums import LetterInclusion, SignatureStatus
from app.partners.service import partner_names
from app.template_sandbox.environment import LetterTemplateError


class LettersNotAllowed(Exception):
    """The appeal is draft or paused: nothing is rendered, sent or printed."""


class LanguageNotAvailable(LettersNotAllowed):
    """A letter was asked for in a language the appeal's text is not complete in."""


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
    logo = ("data:image/png;base64," + base64.b64encode(group.logo_png).decode()
            if group.logo_png else None)  # inside the letter: WeasyPrint fetches nothing
    return OrganisationView(name=name or group.name, address_lines=lines, website=group.website,
                            email=group.email, logo=logo)


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
    text = content_translation(appeal, language)
    names = text.get("people") or []
    people = tuple(
        PersonView(name=(names[i].get("name") if i < len(names) else None) or p.name,
                   role=role_word(p.role, language), status=status_word(p.status, language))
        for i, p in enumerate(appeal.people)
    )
    demands = text.get("demands") or {}
    own_subject = appeal.letter_subject or appeal.title
    if text:
        own_subject = text.get("subject") or text.get("title") or own_subject
    return AppealView(
        slug=appeal.slug, title=text.get("title") or appeal.title,
        subject=subject or own_subject, summary=text.get("summary") or appeal.summary or "",
        reference=appeal.slug.upper(), court=text.get("court") or appeal.court,
        people=people, charges=tuple(c for g in _charge_groups(appeal, text, language, people)
                                     for c in g.charges),
        charge_groups=_charge_groups(appeal, text, language, people),
        demands=tuple(DemandView(d.number,
                                 (demands.get(str(d.number)) or {}).get("authority") or d.authority,
                                 (demands.get(str(d.number)) or {}).get("text") or d.text,
                                 d.post.slug if d.post is not None else None)
                      for d in appeal.demands),
        sources=tuple(SourceView(s.number, s.title, s.url) for s in appeal.sources),
        signatory_count=confirmed_count(appeal) if count is None else count,
        # The narrative exists in the appeal's own language only: never mixed into another.
        narrative="" if text else (appeal.body_md or ""),
    )


def _charge_groups(appeal: Appeal, text: dict, language: str,
                   people: tuple[PersonView, ...]) -> tuple[ChargeGroup, ...]:
    """The charges per person, in the order of the people ("Article 174 of the Criminal Code")."""
    template = frame_strings(language)["charge"]
    names = {p.id: view.name for p, view in zip(appeal.people, people, strict=True)}
    groups: dict[str | None, list[str]] = {}
    for charge in appeal.charges:
        translated = (text.get("charges") or {}).get(charge.article) or {}
        label = translated.get("label") or charge.label
        # A translation may carry its own "ст. 129": the template says "article" once.
        number = bare_article(str(translated.get("article") or charge.article))
        formal = template.replace("{article}", number).replace(
            "{code}", translated.get("code") or charge.code)
        groups.setdefault(names.get(charge.person_id), []).append(f"{formal} ({label})")
    return tuple(ChargeGroup(person, tuple(items)) for person, items in groups.items())


def international_fax(value: str | None) -> str | None:
    """+77172740000 -> +7 717 274 0000 (international format); the raw value if unparsable."""
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def letter_language(appeal: Appeal, post: Post, language: str | None = None) -> str:
    """The language of a letter of `appeal` to `post`, so that it never mixes two languages.

    An explicit `language` wins (the coordinator asked for it) when the appeal's text is complete
    in it; otherwise LanguageNotAvailable. Without one: the post's preferred language if the
    appeal's text is available in it (for Kazakh: a Kazakh text, else the Russian one);
    otherwise the appeal's own language.
    """
    if language:
        if not is_available(appeal, language):
            raise LanguageNotAvailable(
                f"The appeal {appeal.slug!r} has no complete text in {language!r}: its letters "
                f"can be written in {', '.join(available_languages(appeal))}.")
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


def recipient_view(post: Post, resolution: Resolution, language: str, role: str = "to",
                   channel: str | None = None) -> RecipientView:
    """The recipient as a letter in `language` names them: the directory's translations into
    that language (app/directory/translations.py) where there are some, else the base text.
    With no named holder (vacant, collective, unknown) the letter goes to the office: no name
    line and a neutral salutation from the catalog."""
    names = recipient_text(post, resolution.holder, language)
    to_office = resolution.holder is None
    name = None if to_office else names.addressee
    organisation = names.organisation
    # The dative only when every line it heads is known in it (see app/directory/translations).
    dative = bool(names.label_dative and (to_office or names.holder_name_dative))
    heading_organisation = _heading_organisation(post, language, organisation)
    heading = (dative_heading_lines(None if to_office else names.holder_name_dative,
                                    names.label_dative, heading_organisation) if dative
               else heading_lines(name, names.label, heading_organisation))
    contact = resolution.first("address")
    postal = postal_lines(contact.address if contact else None, contact.value if contact else "",
                          (organisation, post.organization.name, names.label, post.label))
    fax = resolution.first("fax")
    email = resolution.first("email")
    salutation = (frame_strings(language)["office_salutation"] if to_office or not names.salutation
                  else names.salutation)
    return RecipientView(
        slug=post.slug, name=name or names.label, post_label=names.label,
        organisation=organisation, salutation=salutation, language=language,
        address_lines=(*heading, *postal), heading_count=len(heading),
        fax=international_fax(fax.value) if fax else None, email=email.value if email else None,
        channel=channel, role=role, to_office=to_office, dative=dative,
        post_label_dative=names.label_dative,
        name_dative=None if to_office else names.holder_name_dative,
    )


def _heading_organisation(post: Post, language: str, organisation: str) -> str:
    """The organisation line of the address heading; none in a letter in another language than
    English when the directory has the post but not its organisation in that language: the
    translated post and the postal lines reach it, an English line would not belong there."""
    if language == "en" or translated(post.organization, language, "name") \
            or not translated(post, language, "label"):
        return organisation
    return ""


def named_signatories(appeal: Appeal, language: str) -> tuple[SignatoryView, ...]:
    """Confirmed signatories who chose to be named in letters, in the alphabetical order of the
    letter's language (app/letters/collation.py), as signatory_view shows them."""
    rows = db.session.execute(
        select(Signature.name, Signature.country, Signature.letter_inclusion)
        .where(Signature.appeal_id == appeal.id, Signature.status == SignatureStatus.CONFIRMED,
               Signature.letter_inclusion == LetterInclusion.NAME_COUNTRY)
        .order_by(Signature.name, Signature.id)
    )
    key = sort_key(language)
    views = [view for row in rows if (view := signatory_view(row, language)) is not None]
    return tuple(sorted(views, key=lambda view: key(view.name)))


def _cc_views(appeal: Appeal, post: Post, on: date, language: str) -> tuple[RecipientView, ...]:
    return tuple(
        recipient_view(r.post, resolve(r.post, on=on), language, role="cc")
        for r in appeal_recipients(appeal) if r.role == "cc" and r.post_id != post.id
    )


# --- Letters --------------------------------------------------------------------------------------


def letter_unit(appeal: Appeal, post: Post, *, on: date | None = None, language: str | None = None,
                signer: Signature | None = None, with_annex: bool = True,
                undersigned: Sequence | None = None, body_source: str | None = None,
                subject: str | None = None, signatories: tuple | None = None,
                count: int | None = None,
                purpose: Purpose = Purpose.PRINT_BATCH, draft_preview: bool = False) -> LetterUnit:
    """The record for one letter to `post` (joint, from a signer, or from undersigned orgs);
    the recipient's channel is its route for `purpose` (app.directory.routing).
    `draft_preview` lets the appeal editor show a draft's letter to its coordinator (only)."""
    if not draft_preview:
        check_allowed(appeal)
    on = on or date.today()
    language = letter_language(appeal, post, language)
    chosen = route(post, purpose, on)
    resolution = chosen.resolution
    names = recipient_text(post, resolution.holder, language)
    signer_shown = None
    if signer is not None:
        signer_shown = signer_view(signer, language)
        with_annex = False
    if with_annex and signatories is None:
        signatories = named_signatories(appeal, language)
    authority = is_authority(appeal, post)
    return LetterUnit(
        language=language,
        appeal=appeal_view(appeal, language, count=count, subject=subject),
        recipient=recipient_view(post, resolution, language,
                                 channel=chosen.channel.value if chosen.channel else None),
        post=PostView(slug=post.slug, label=names.label, organisation=names.organisation,
                      salutation=names.salutation or frame_strings(language)["office_salutation"],
                      preferred_language=post.preferred_language),
        holder=HolderView(names.holder_name, names.honorific_prefix) if names.holder_name else None,
        organisation=organisation_view(appeal, language), date=on,
        body_source=body_source if body_source is not None else letter_body_source(appeal, language),
        signer=signer_shown, signatories=tuple(signatories or ()),
        undersigned=tuple(_undersigned(undersigned or (), language)),
        cc=_cc_views(appeal, post, on, language) if signer is None else (),
        with_annex=with_annex, coalition=tuple(partner_names(appeal.id)),
        extra={"authority": authority},
        request_source=request_source(appeal, language, "authority" if authority else "third_party"),
    )


def request_source(appeal: Appeal, language: str, role: str) -> str | None:
    """The coordinator's request template to a recipient of `role` ("authority" or
    "third_party") in `language`; None for the bundled one (letter_templates/requests/)."""
    return ((appeal.letter_requests or {}).get(language) or {}).get(role) or None


def is_authority(appeal: Appeal, post: Post) -> bool:
    """A post of the case's own state (or one a demand is addressed to) is asked to act on the
    demands; any other (international bodies, foreign governments) is a third party. An appeal
    without a country cannot tell: every recipient is treated as an authority."""
    return (not appeal.country or any(d.post_id == post.id for d in appeal.demands)
            or post.organization.country == appeal.country)


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
    return write_pdf(letter_document(unit))


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
    """The posts an appeal writes to, with their role, in the one recipient order."""
    return [(r.post, r.role) for r in appeal_recipients(appeal)]


__all__ = ["LetterTemplateError", "LettersNotAllowed", "check_allowed",
           "recipient_letter_pdf", "render_letter", "signer_letter_email", "signer_letter_pdf"]
