"""The catalogs: complete, not fuzzy, in step with the code, and the plural forms right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations

from app.i18n import TRANSLATIONS_DIR
from app.languages import CODES, DEFAULT_LANGUAGE
from tests.i18n.untranslated import untranslated_in

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "app" / "templates"
# What a supporter, a signer or an organisation reads: complete in every language. Coordinator
# pages may fall back (Kazakh to Russian, see app/languages.py FALLBACK).
PUBLIC_SOURCES = (
    "app/templates/public/", "app/templates/email/", "app/templates/errors.html",
    "app/templates/base.html", "app/templates/macros.html", "app/templates/delivery/write.html",
    "app/templates/delivery/unsub", "app/templates/statements/public.html",
    "app/templates/statements/thanks.html", "app/templates/statements/confirmed.html",
    "app/templates/statements/cosigner_confirmed.html", "app/templates/statements/withdrawn.html",
    "app/templates/statements/refused.html", "app/templates/statements/token_failed.html",
    "app/templates/statements/button.html", "app/public/", "app/forms_common.py",
    "app/mail/", "app/statements/messages.py", "app/appeals/localized.py", "app/__init__.py",
    "app/delivery/timeline.py",
)
# The letters to officials (letter frames, batch cover e-mails) belong to the letters area.
LETTER_TEMPLATES = ("email/delivery_batch", "delivery/letter")


def _catalog(code: str):
    with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=code)


def _is_public(message) -> bool:
    return any(path.startswith(PUBLIC_SOURCES) for path, _line in message.locations)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def _extract(tmp_path: Path) -> set:
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    with pot.open("rb") as source:
        return {message.id for message in read_po(source) if message.id}


@pytest.mark.parametrize("code", [c for c in CODES if c != DEFAULT_LANGUAGE])
def test_catalog_has_no_fuzzy_entry_and_no_broken_placeholder(code):
    catalog = _catalog(code)
    assert not catalog.fuzzy, "the header is marked fuzzy: pybabel compile would skip it"
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    assert [(m.id, errors) for m, errors in catalog.check() if errors] == []


@pytest.mark.parametrize("code", [c for c in CODES if c != DEFAULT_LANGUAGE])
def test_every_public_string_is_translated(code):
    missing = [m.id for m in _catalog(code) if m.id and _is_public(m) and not _translated(m)]
    assert missing == []


def test_russian_catalog_is_complete_coordinator_pages_included():
    assert [m.id for m in _catalog("ru") if m.id and not _translated(m)] == []


def test_catalogs_hold_every_string_the_code_uses(tmp_path):
    in_code = _extract(tmp_path)
    for code in [c for c in CODES if c != DEFAULT_LANGUAGE]:
        in_catalog = {m.id for m in _catalog(code) if m.id}
        assert sorted(map(str, in_code - in_catalog)) == [], f"run `make update-translations` ({code})"


def test_templates_have_no_visible_text_outside_gettext():
    problems = untranslated_in(TEMPLATES, ["**/*.html", "email/*.txt"])
    problems = {path: found for path, found in problems.items()
                if not path.startswith(LETTER_TEMPLATES)}
    assert problems == {}


def test_blueprint_templates_have_no_visible_text_outside_gettext():
    """Areas may keep templates beside their code (app/letters/templates): the letter template
    editor and the refusal page there were English in every language."""
    problems = {folder: untranslated_in(folder, ["**/*.html"])
                for folder in sorted((ROOT / "app").glob("*/templates"))}
    assert {str(folder): found for folder, found in problems.items() if found} == {}


def test_the_checker_finds_text_outside_gettext():
    from tests.i18n.untranslated import untranslated_text

    assert untranslated_text('<p>{{ _("Sign") }}</p><button>Send</button>') == ["Send"]
    assert untranslated_text('<a title="Open it">{{ x }}</a>') == ["Open it"]
    assert untranslated_text("{% trans %}Hello{% endtrans %}\nBye {{ name }}", plain_text=True) \
        == ["Bye \x00"]


@pytest.mark.parametrize(("count", "expected"), [
    (1, "подпись"), (2, "подписи"), (5, "подписей"), (11, "подписей"), (21, "подпись"),
    (22, "подписи"), (112, "подписей"),
])
def test_russian_plural_forms(count, expected):
    translations = Translations.load(str(TRANSLATIONS_DIR), ["ru"])
    assert translations.ungettext("signature", "signatures", count) == expected


@pytest.mark.parametrize("count", [1, 2, 5, 21])
def test_kazakh_keeps_the_noun_singular_after_a_number(count):
    translations = Translations.load(str(TRANSLATIONS_DIR), ["kk"])
    assert translations.ungettext("signature", "signatures", count) == "қолтаңба"
