"""How two sign-ons are known to be the same organisation: normalised name and website domain."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Legal-form words that organisations add or drop at will ("Adil Soz" = 'PF "Adil Soz"').
LEGAL_FORMS = {
    "the", "ngo", "ngos", "ong", "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc",
    "gmbh", "ev", "asbl", "vzw", "ag", "sa", "srl", "cic", "cio", "npo", "ano", "ooo",
    "pf", "oo", "оф", "оо", "ооо", "ано", "нко", "ао", "тоо", "ип",
}
LEGAL_PHRASES = (
    "public foundation", "public association", "public fund", "non governmental organization",
    "non governmental organisation", "nonprofit organization", "non profit organization",
    "общественный фонд", "общественное объединение", "қоғамдық қоры", "қоғамдық бірлестігі",
)
# Second-level labels under which country-code domains are registered (example.org.kz).
SECOND_LEVEL = {"co", "com", "org", "net", "gov", "edu", "ac", "or", "ne", "go", "nic", "ltd",
                "plc", "sch", "mil", "int", "info", "biz", "web", "gen", "asso", "nom"}


def normalise_name(name: str) -> str:
    """Case-folded, accents and punctuation removed, legal-form words dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]|_", " ", text)
    text = " ".join(text.split())
    for phrase in LEGAL_PHRASES:
        text = re.sub(rf"(^|\s){re.escape(phrase)}(\s|$)", " ", text)
    words = [w for w in text.split() if w not in LEGAL_FORMS]
    # A name made only of legal-form words ("The Foundation") keeps its words.
    return " ".join(words or text.split())[:300]


def host_of(website: str) -> str | None:
    """The lower-case host name of a URL given with or without scheme, or None."""
    website = website.strip()
    if not website:
        return None
    if "://" not in website:
        website = "http://" + website
    try:
        host = urlsplit(website).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return host.rstrip(".").lower()


def registrable_domain(host: str | None) -> str | None:
    """`www.news.adilsoz.kz` -> `adilsoz.kz`; `hrw.org.uk` style names keep three labels.

    A heuristic, not the Public Suffix List: two labels, or three when the second-level label is
    a usual registry label under a two-letter country code (`org.kz`, `co.uk`, `com.au`).
    """
    if not host:
        return None
    labels = [label for label in host.lower().rstrip(".").split(".") if label]
    if len(labels) < 2:
        return None
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def website_domain(website: str | None) -> str | None:
    return registrable_domain(host_of(website or ""))


def email_domain(address: str) -> str | None:
    return registrable_domain(address.rpartition("@")[2])
