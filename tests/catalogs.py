"""Catalogs compiled before any test runs (`make install` does it too).

Every test needs them, not only the language tests: the letter frame words are cached per
process (app/letters/frame.py), so a test that ran on a stale .mo would leave English words in
the Russian letters of every later test on that pytest worker.
"""

from __future__ import annotations

import os
import tempfile

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.i18n import TRANSLATIONS_DIR


def compile_catalogs() -> None:
    """Compile every messages.po whose .mo is missing or older; atomic, so that two pytest
    workers doing it at once never read half a file."""
    for po_path in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog)
        os.replace(temporary, mo_path)

