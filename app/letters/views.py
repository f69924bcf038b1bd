"""What a letter template sees: small read-only, picklable records, never database objects.

Templates get these instead of models so a template cannot reach the session, the metadata or
lazy relationships, and so letters can be rendered in worker processes without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from babel import Locale
from babel.numbers import format_decimal

LANGUAGES = ("en", "ru")  # letter bodies shipped in letter_templates/bodies/
ANNEX_NAMES_PER_PARAGRAPH = 50
FALLBACK_LANGUAGE = {"kk": "ru"}  # Kazakh officials get the Russian text (dates still in Kazakh)


@dataclass(frozen=True)
class OrganisationView:
    name: str
    address_lines: tuple[str, ...] = ()
    website: str | None = None
    email: str | None = None


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
    channel: str = "post"
    role: str = "to"

    @property
    def address_size(self) -> str:
        return address_size(self.address_lines)


# The address window (DIN 5008 form B, 45 mm high): 6 lines of 10 pt from 62.7 mm (below the
# return line) in the norm; longer addresses start higher, at 50.5 mm, in smaller type.
ADDRESS_SIZES = (("normal", 6, 38), ("small", 10, 42), ("tiny", 12, 48))  # lines, chars a line


def address_size(lines: tuple[str, ...]) -> str:
    """"normal", "small" or "tiny": the largest type in which `lines` fit the window."""
    for size, fits, width in ADDRESS_SIZES:
        if sum(max(1, -(-len(line) // width)) for line in lines) <= fits:
            return size
    return "tiny"


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
    # (the variables it was rendered from, the rendered body): set by app/letters/render.py.
    prepared_body: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def body_language(self) -> str:
        language = FALLBACK_LANGUAGE.get(self.language, self.language)
        return language if language in LANGUAGES else "en"

    @property
    def strings(self) -> dict[str, str]:
        return STRINGS[self.body_language]

    @property
    def signatory_count_text(self) -> str:
        return format_decimal(self.appeal.signatory_count, locale=locale_of(self.language))

    @property
    def named_count_text(self) -> str:
        return format_decimal(len(self.signatories), locale=locale_of(self.language))

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
        for country in sorted(by_country, key=str.casefold):
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
            "organisation": self.organisation, "date": self.date,
        }


def isolate(text: str) -> str:
    """`text` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a right-to-left name
    keeps its direction to itself, so what follows it is not reordered ("(=1+2)" stays so)."""
    return f"\u2068{text}\u2069"


def locale_of(language: str) -> str:
    return {"kk": "kk_KZ", "ru": "ru_RU"}.get(language, "en_GB")


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
        strings = STRINGS["ru" if language in ("ru", "kk") else "en"]
        return SignerView(name=strings["supporter"], city=None, country="", country_name="",
                          message=signature.message)
    return SignerView(name=shown.name, city=None, country=shown.country,
                      country_name=shown.country_name, message=signature.message)


@lru_cache(maxsize=2048)
def country_name(code: str | None, language: str) -> str:
    """A country's name in the letter's language (Babel's CLDR data), the code if unknown."""
    if not code:
        return ""
    return Locale.parse(locale_of(language)).territories.get(code.upper(), code.upper())


STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "date": "Date", "reference": "Our reference", "web": "Web", "cc": "Cc",
        "closing": "Yours sincerely,", "sources": "Sources", "supporter": "A supporter",
        "on_behalf": "on behalf of {count} signatories",
        "undersigned": "The undersigned",
        "annex_title": "Annex: signatories",
        "annex_count": "Confirmed signatures: {count}. Listed here: the {named} signatories who "
                       "agreed to be named in letters to officials.",
        "fax": "FAX", "to": "To", "fax_number": "Fax number", "sender": "From",
        "pages": "Pages (with this one)", "subject": "Subject",
        "fax_note": "Please tell the sender if any page is missing or unreadable.",
        "vacant": "The holder of the post",
        "roles": {"journalist": "journalist", "blogger": "blogger", "activist": "activist",
                  "trade_unionist": "trade unionist",
                  "human_rights_defender": "human rights defender", "other": "citizen"},
        "statuses": {"imprisoned": "imprisoned", "suspended_sentence": "serving a suspended sentence",
                     "restricted_freedom": "sentenced to restricted freedom",
                     "on_trial": "on trial", "psychiatric_detention": "held in psychiatric detention",
                     "abroad_at_risk": "abroad and at risk", "released": "released"},
    },
    "ru": {
        "date": "Дата", "reference": "Наш номер", "web": "Сайт", "cc": "Копия",
        "closing": "С уважением,", "sources": "Источники", "supporter": "Сторонник кампании",
        "on_behalf": "от имени подписавших ({count})",
        "undersigned": "Подписавшие организации",
        "annex_title": "Приложение: подписавшие",
        "annex_count": "Подтверждённых подписей: {count}. Ниже перечислены подписавшие, "
                       "согласившиеся указать своё имя в письмах ({named}).",
        "fax": "ФАКС", "to": "Кому", "fax_number": "Номер факса", "sender": "От кого",
        "pages": "Страниц (с этой)", "subject": "Тема",
        "fax_note": "Если какая-либо страница не получена или неразборчива, сообщите отправителю.",
        "vacant": "Должностному лицу",
        "roles": {"journalist": "журналист", "blogger": "блогер", "activist": "активист",
                  "trade_unionist": "профсоюзный активист",
                  "human_rights_defender": "правозащитник", "other": "гражданин"},
        "statuses": {"imprisoned": "находится в заключении",
                     "suspended_sentence": "приговорён к условному сроку",
                     "restricted_freedom": "приговорён к ограничению свободы",
                     "on_trial": "находится под судом",
                     "psychiatric_detention": "помещён на принудительное лечение",
                     "abroad_at_risk": "находится за рубежом под угрозой преследования",
                     "released": "освобождён"},
    },
}
