"""Which language a page or an e-mail is in, and the catalogs behind `_()`.

The page language, best first: an explicit choice (`?lang=ru`, then kept in a cookie), the
browser's Accept-Language, the language of the appeal the page shows, the default language.
The list of languages and the fallback rule live in app/languages.py; this module only applies
them to requests. Works without JavaScript: the language links are plain links.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Flask, g, has_request_context, request
from flask_babel import Domain, force_locale, get_locale, refresh

from app.languages import CODES, DEFAULT_LANGUAGE, LANGUAGES, fallback_chain, is_supported

LANG_PARAM = "lang"
LANG_COOKIE = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def select_locale() -> str:
    """Flask-Babel's locale selector: the page language of this request (see the module doc)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE  # the worker and the CLI write under force_locale
    explicit = request.args.get(LANG_PARAM)
    if is_supported(explicit):
        return explicit
    kept = request.cookies.get(LANG_COOKIE)
    if is_supported(kept):
        return kept
    accepted = request.accept_languages.best_match(CODES)
    if accepted:
        return accepted
    own = g.get("content_language")
    return own if is_supported(own) else DEFAULT_LANGUAGE


def prefer_content_language(code: str | None) -> None:
    """The language of what this page shows, used when the visitor expressed no preference.
    Call before anything is translated: the locale is chosen once per request."""
    g.content_language = code


def current_language() -> str:
    """The code of the language this request (or force_locale block) renders in."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


@contextmanager
def in_language(code: str | None):
    """Render everything inside in `code` (a signer's stored language), else the default."""
    with force_locale(code if is_supported(code) else DEFAULT_LANGUAGE):
        yield


class FallbackDomain(Domain):
    """The gettext domain with the fallback rule of app/languages.py: a string missing in the
    Kazakh catalog is taken from the Russian one before the English source text."""

    def __init__(self, directory: Path = TRANSLATIONS_DIR) -> None:
        super().__init__(translation_directories=[str(directory)], domain="messages")
        self._directory = str(directory)
        self._chains: dict[str, NullTranslations] = {}

    def get_translations(self) -> NullTranslations:
        code = current_language()
        chain = self._chains.get(code)
        if chain is None:
            chain = self._chains[code] = self._load_chain(code)
        return chain

    def _load_chain(self, code: str) -> NullTranslations:
        first: NullTranslations | None = None
        for candidate in fallback_chain(code):
            catalog = Translations.load(self._directory, [candidate], "messages")
            if first is None:
                first = catalog
            elif catalog is not first:
                first.add_fallback(catalog)
        return first or NullTranslations()


def init_app(app: Flask) -> None:
    """Language selection, the fallback catalogs, the language cookie and template helpers."""
    app.extensions["babel"].instance.domain_instance = FallbackDomain()
    # Flask-Babel keeps the locale on `g`; an app context can outlive one request (tests, CLI
    # calls of the test client), so each request chooses afresh.
    app.before_request(_choose_afresh)
    app.after_request(_keep_choice_and_vary)
    app.context_processor(_template_helpers)
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.globals["language_name"] = language_name


def _choose_afresh() -> None:
    refresh()
    g.pop("content_language", None)


def _keep_choice_and_vary(response):  # noqa: ANN001, ANN202
    """Keep an explicit choice in a cookie; tell caches the page depends on the language."""
    explicit = request.args.get(LANG_PARAM)
    if is_supported(explicit) and request.cookies.get(LANG_COOKIE) != explicit:
        from flask import current_app

        response.set_cookie(LANG_COOKIE, explicit, max_age=LANG_COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    if response.mimetype == "text/html":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def with_language(url: str, code: str | None) -> str:
    """`url` opening in language `code` (a supported one), for links in e-mails."""
    if not is_supported(code):
        return url
    return f"{url}{'&' if '?' in url else '?'}{LANG_PARAM}={code}"


def language_url(code: str) -> str:
    """This page in language `code`: its path with ?lang= (a link that can be shared).
    Relative on purpose: a Host header must never reach a page the cache shares."""
    return f"{quote(request.path)}?{LANG_PARAM}={code}"


def _template_helpers() -> dict:
    code = current_language()
    links = ([(other, LANGUAGES[other], language_url(other)) for other in CODES]
             if has_request_context() else [])
    return {"page_language": code, "language_links": links}


@cache
def _territories(code: str) -> dict[str, str]:
    return dict(Locale.parse(code).territories)


def country_name(alpha_2: str | None, code: str | None = None) -> str:
    """The country `alpha_2` named in `code` (default: the page language), from CLDR."""
    if not alpha_2:
        return ""
    return _territories(code or current_language()).get(alpha_2.upper(), alpha_2)


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of language `code` in the page language (CLDR), e.g. "английский" for en in ru."""
    return Locale.parse(in_language or current_language()).languages.get(code, LANGUAGES.get(code, code))


def country_names(code: str) -> dict[str, str]:
    """Every ISO country code named in language `code` (CLDR), for select boxes."""
    return _territories(code)
