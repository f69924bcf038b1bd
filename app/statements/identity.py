"""How two sign-ons are known to be the same organisation: normalised name and website domain."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

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
# The Public Suffix List as bundled with the package (never fetched at run time), private section
# included: `pp.ua` and `github.io` hand out names to unrelated owners, like `org.kz` does.
_SUFFIXES = PublicSuffixList()


# Sites where many organisations have a page: the domain says nothing about who signed.
PATH_HOSTS = {
    "facebook.com", "fb.com", "instagram.com", "twitter.com", "x.com", "t.me", "telegram.me",
    "vk.com", "ok.ru", "linkedin.com", "youtube.com", "tiktok.com", "medium.com", "google.com",
    "linktr.ee", "threads.net", "bsky.app",
}
# Sites that give each organisation a sub-domain: the full host tells them apart.
SUBDOMAIN_HOSTS = {
    "wordpress.com", "blogspot.com", "github.io", "wixsite.com", "tilda.ws", "weebly.com",
    "livejournal.com", "substack.com", "narod.ru", "ucoz.ru", "squarespace.com", "webflow.io",
    "netlify.app", "mozello.com", "jimdosite.com",
}


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
    """`www.news.adilsoz.kz` -> `adilsoz.kz`, `alpha-hr.pp.ua` stays itself: the Public Suffix List."""
    if not host:
        return None
    labels = [label for label in host.lower().rstrip(".").split(".") if label]
    if len(labels) < 2:
        return None
    return _SUFFIXES.privatesuffix(".".join(labels))


def website_domain(website: str | None) -> str | None:
    """The key two sign-ons share when they come from one organisation's site, or None.

    None for pages on social networks (facebook.com/…); the full host on blog hosts that give
    each organisation a sub-domain (adilsoz.wordpress.com).
    """
    host = host_of(website or "")
    domain = registrable_domain(host)
    if domain in PATH_HOSTS:
        return None
    if domain in SUBDOMAIN_HOSTS:
        return host.removeprefix("www.") if host and host.removeprefix("www.") != domain else None
    return domain


def email_domain(address: str) -> str | None:
    """The registrable domain of an address, or its full host on blog hosts (as websites)."""
    host = address.rpartition("@")[2].lower()
    domain = registrable_domain(host)
    return host if domain in SUBDOMAIN_HOSTS else domain
