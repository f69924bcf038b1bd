"""The list of the undersigned: on the public page, in the letters, as CSV and as plain text.

Only approved organisations are listed. An anonymous organisation is "An organisation in
<country>" everywhere here: its name never leaves the coordinator's pages.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext, ngettext
from sqlalchemy import select

from app import i18n
from app.extensions import db
from app.models.statement import (
    Cosigner,
    CosignerStatus,
    OrgSignature,
    OrgSignatureStatus,
    Statement,
)
from app.text import spreadsheet_safe


def country_name(code: str) -> str:
    """The country's name in the current language (CLDR), the code itself if unknown."""
    return i18n.country_name(code) if code else code


@dataclass(frozen=True)
class Undersigned:
    """One line of the list, as published."""

    name: str
    country: str  # the country's name
    country_code: str
    website: str | None
    anonymous: bool


@dataclass
class CountryGroup:
    country: str
    country_code: str
    entries: list[Undersigned] = field(default_factory=list)


def _display(signature: OrgSignature) -> Undersigned:
    country = country_name(signature.country)
    if signature.anonymous:
        return Undersigned(gettext("An organisation in %(country)s", country=country), country,
                           signature.country, None, True)
    return Undersigned(signature.org_name, country, signature.country, signature.website, False)


def undersigned(statement: Statement) -> list[Undersigned]:
    """Approved organisations by country name, then name (anonymous ones last in their country)."""
    rows = db.session.scalars(
        select(OrgSignature).where(OrgSignature.statement_id == statement.id,
                                   OrgSignature.status == OrgSignatureStatus.APPROVED)
    )
    entries = [_display(s) for s in rows]
    entries.sort(key=lambda e: (e.country.casefold(), e.anonymous, e.name.casefold(), e.name))
    return entries


def by_country(entries: list[Undersigned]) -> list[CountryGroup]:
    """Consecutive entries of one country as a group (entries come sorted by country)."""
    groups: list[CountryGroup] = []
    for entry in entries:
        if not groups or groups[-1].country_code != entry.country_code:
            groups.append(CountryGroup(entry.country, entry.country_code))
        groups[-1].entries.append(entry)
    return groups


def cosigners(statement: Statement) -> list[Cosigner]:
    """Confirmed individuals, by name."""
    rows = db.session.scalars(
        select(Cosigner).where(Cosigner.statement_id == statement.id,
                               Cosigner.status == CosignerStatus.CONFIRMED)
    ).all()
    return sorted(rows, key=lambda c: (c.name.casefold(), c.id))


CSV_COLUMNS = ["kind", "name", "country", "country_code", "website", "affiliation"]


def undersigned_csv(statement: Statement) -> str:
    """Organisations, then individuals; every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in undersigned(statement):
        writer.writerow([spreadsheet_safe(v) for v in (
            "organisation", entry.name, entry.country, entry.country_code, entry.website or "", "")])
    for person in cosigners(statement):
        writer.writerow([spreadsheet_safe(v) for v in (
            "individual", person.name, country_name(person.country), person.country, "",
            person.affiliation or "")])
    return buffer.getvalue()


def undersigned_text(statement: Statement) -> str:
    """The list as plain text to paste into a press release."""
    entries = undersigned(statement)
    lines = [f"{statement.title}", "", ngettext("Signed by %(num)d organisation:",
                                                "Signed by %(num)d organisations:", len(entries))]
    for group in by_country(entries):
        lines += ["", group.country]
        lines += [f"- {e.name}" for e in group.entries]
    people = cosigners(statement)
    if people:
        lines += ["", ngettext("Also signed by %(num)d individual:",
                               "Also signed by %(num)d individuals:", len(people)), ""]
        lines += [f"- {p.name}" + (f", {p.affiliation}" if p.affiliation else "")
                  + f" ({country_name(p.country)})" for p in people]
    return "\n".join(lines) + "\n"
