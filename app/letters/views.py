"""What a letter template sees: small read-only, picklable records, never database objects.

Templates get these instead of models so a template cannot reach the session, the metadata or
lazy relationships, and so letters can be rendered in worker processes without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal
from markupsafe import Markup

from app.languages import fallback_chain, letter_locale
from app.letters.address import address_size
from app.letters.collation import sort_key
from app.letters.frame import frame_strings

ANNEX_NAMES_PER_PARAGRAPH = 50
BODIES = Path(__file__).resolve().parents[2] / "letter_templates" / "bodies"
REQUESTS = BODIES.parent / "requests"
NO_REQUEST = Markup("")  # what `request` is while the request itself is rendered


@dataclass(frozen=True)
class OrganisationView:
    name: str
    address_lines: tuple[str, ...] = ()
    website: str | None = None
    email: str | None = None
    logo: str | None = None  # a data: URL of the organisation's PNG (app/organisations/logo.py)


@dataclass(frozen=True)
class PersonView:
    name: str
    role: str
    status: str


@dataclass(frozen=True)
class DemandView:
    number: int
    authority: str
    text: str
    post: str | None = None  # slug of the post the demand is addressed to


@dataclass(frozen=True)
class ChargeGroup:
    """The charges against one person ("Article 174 of the Criminal Code of …")."""

    person: str | None
    charges: tuple[str, ...]


@dataclass(frozen=True)
class SourceView:
    number: int
    title: str
    url: str | None


@dataclass(frozen=True)
class AppealView:
    slug: str
    title: str
    subject: str
    summary: str
    reference: str
    court: str | None = None
    people: tuple[PersonView, ...] = ()
    charges: tuple[str, ...] = ()
    demands: tuple[DemandView, ...] = ()
    sources: tuple[SourceView, ...] = ()
    signatory_count: int = 0
    charge_groups: tuple[ChargeGroup, ...] = ()
    narrative: str = ""  # the case told at length (the appeal's body), in the letter's language


@dataclass(frozen=True)
class PostView:
    slug: str
    label: str
    organisation: str
    salutation: str
    preferred_language: str | None = None


@dataclass(frozen=True)
class HolderView:
    name: str
    honorific_prefix: str | None = None


@dataclass(frozen=True)
class RecipientView:
    slug: str
    name: str
    post_label: str
    organisation: str
    salutation: str
    language: str
    address_lines: tuple[str, ...] = ()
    fax: str | None = None
    email: str | None = None
    channel: str | None = "post"
    role: str = "to"
    to_office: bool = False  # vacant, collective or unknown holder: addressed to the office
    heading_count: int = 0  # how many of address_lines are name/post/organisation
    dative: bool = False  # the heading lines are in the dative ("Президенту …"): a "To" frame fits
    post_label_dative: str | None = None  # "Президенту Республики Казахстан" where the directory has it
    name_dative: str | None = None  # "Касым-Жомарту Токаеву" where the directory has it

    @property
    def address_size(self) -> str:
        """CSS class of the address block ("tiny" also for one that is refused before printing)."""
        return address_size(self.address_lines) or "tiny"


@dataclass(frozen=True)
class SignatoryView:
    name: str
    city: str | None
    country: str
    country_name: str


@dataclass(frozen=True)
class SignerView:
    name: str
    city: str | None
    country: str
    country_name: str
    message: str | None = None


@dataclass(frozen=True)
class UndersignedView:
    name: str
    country_name: str | None = None


@dataclass
class LetterUnit:
    """Everything needed to render one letter (and its fax cover), without a database."""

    language: str
    appeal: AppealView
    recipient: RecipientView
    post: PostView
    holder: HolderView | None
    organisation: OrganisationView
    date: date
    body_source: str | None = None  # coordinator's template source; None = bundled body
    signer: SignerView | None = None
    signatories: tuple[SignatoryView, ...] = ()
    undersigned: tuple[UndersignedView, ...] = ()
    cc: tuple[RecipientView, ...] = ()
    with_annex: bool = False
    fax_cover: bool = False
    extra: dict = field(default_factory=dict)
    coalition: tuple[str, ...] = ()  # partner organisations of the appeal (app/partners)
    # The coordinator's request template for this recipient's role in this language (None: the
    # bundled letter_templates/requests/<language>/<role>.html).
    request_source: str | None = None
    # (the variables it was rendered from, the rendered body): set by app/letters/render.py.
    prepared_body: tuple | None = field(default=None, repr=False, compare=False)
    prepared_request: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def body_language(self) -> str:
        """The bundled body used: the letter's language if a body file exists for it."""
        return next((code for code in fallback_chain(self.language)
                     if (BODIES / f"{code}.html").exists()), "en")

    @property
    def request_template(self) -> str:
        """The bundled request for this recipient's role, in the letter's language if there is one."""
        code = next((code for code in fallback_chain(self.language)
                     if (REQUESTS / code / f"{self.request_role}.html").exists()), "en")
        return f"requests/{code}/{self.request_role}.html"

    @property
    def strings(self) -> dict[str, str]:
        return frame_strings(self.language)

    @cached_property
    def demands(self) -> tuple[DemandView, ...]:
        """The demands addressed to this recipient's post, and to no post in particular when it is
        an authority of the case; none for a third party."""
        authority = self.extra.get("authority")
        return tuple(d for d in self.appeal.demands
                     if d.post == self.post.slug or (d.post is None and authority))

    @property
    def request_role(self) -> str:
        """"authority" (the case is in its hands) or "third_party" (asked to act on it)."""
        return "authority" if self.extra.get("authority") else "third_party"

    @property
    def signatory_count_text(self) -> str:
        return format_decimal(self.appeal.signatory_count, locale=letter_locale(self.language))

    @property
    def named_count_text(self) -> str:
        return format_decimal(len(self.signatories), locale=letter_locale(self.language))

    @cached_property
    def annex_paragraphs(self) -> tuple[tuple[str, str], ...]:
        """The named signatories by country as flowing text: (heading, names) paragraphs of 50
        names. A single huge paragraph, one box per name, floats or tables are many times slower
        to lay out for 10,000 names; naming each country once keeps the annex short."""
        by_country: dict[str, list[str]] = {}
        for s in self.signatories:
            entry = f"{isolate(s.name)} ({isolate(s.city)})" if s.city else isolate(s.name)
            by_country.setdefault(s.country_name or s.country, []).append(entry)
        paragraphs = []
        for country in sorted(by_country, key=sort_key(self.language)):
            entries = by_country[country]
            for start in range(0, len(entries), ANNEX_NAMES_PER_PARAGRAPH):
                heading = f"{country} ({len(entries)}):" if start == 0 else ""
                paragraphs.append((heading, " · ".join(entries[start:start + ANNEX_NAMES_PER_PARAGRAPH])))
        return tuple(paragraphs)

    def template_context(self) -> dict:
        """The documented variables, and nothing else."""
        return {
            "appeal": self.appeal, "recipient": self.recipient, "post": self.post,
            "holder": self.holder, "signer": self.signer, "signatories": self.signatories,
            "organisation": self.organisation, "date": self.date, "coalition": self.coalition,
            "demands": self.demands, "request_role": self.request_role,
            "narrative": self.appeal.narrative, "charge_groups": self.appeal.charge_groups,
            "voice": "I" if self.signer else "we", "to_office": self.recipient.to_office,
            "request": self.prepared_request[1] if self.prepared_request else NO_REQUEST,
        }

    def request_context(self) -> dict:
        """The variables of the request template: the letter's, without the request itself."""
        return {**self.template_context(), "request": NO_REQUEST}


def isolate(text: str) -> str:
    """`text` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a right-to-left name
    keeps its direction to itself, so what follows it is not reordered ("(=1+2)" stays so)."""
    return f"\u2068{text}\u2069"


NAMED_IN_LETTERS = "name_country"  # LetterInclusion.NAME_COUNTRY (no model import here)


def signatory_view(signature, language: str) -> SignatoryView | None:  # noqa: ANN001
    """A signature as every letter, annex and list sent to officials shows it: what the signer
    chose, nothing more. "Include my name and country" gives the name and the country, never
    the city (no choice offered shows it); "count me only" gives nothing (None).

    `signature` is a Signature or any row with name, country and letter_inclusion.
    """
    if signature.letter_inclusion != NAMED_IN_LETTERS:
        return None
    return SignatoryView(name=signature.name, city=None, country=signature.country,
                         country_name=country_name(signature.country, language))


def signer_view(signature, language: str) -> SignerView:  # noqa: ANN001
    """The signer of their own letter, as signatory_view shows them; "A supporter" (in the
    letter's language) when they chose to be counted only. Their message is theirs to send."""
    shown = signatory_view(signature, language)
    if shown is None:
        return SignerView(name=frame_strings(language)["a_supporter"], city=None, country="",
                          country_name="",
                          message=signature.message)
    return SignerView(name=shown.name, city=None, country=shown.country,
                      country_name=shown.country_name, message=signature.message)


@lru_cache(maxsize=2048)
def country_name(code: str | None, language: str) -> str:
    """A country's name in the letter's language (Babel's CLDR data), the code if unknown."""
    if not code:
        return ""
    return Locale.parse(letter_locale(language)).territories.get(code.upper(), code.upper())
