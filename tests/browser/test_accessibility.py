"""WCAG 2.2 AA checks of scripts/a11y_check.py: colour contrast of the stylesheet, and focus
order and visible focus on the public pages in Chromium with JavaScript off."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from tests.builders import make_appeal

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("a11y_check", ROOT / "scripts" / "a11y_check.py")
a11y = importlib.util.module_from_spec(spec)
sys.modules["a11y_check"] = a11y  # its dataclass looks its module up there
spec.loader.exec_module(a11y)


def test_every_colour_pair_of_the_stylesheet_meets_aa():
    findings = a11y.contrast_findings()
    assert [f for f in findings if not f.ok] == []
    assert len(findings) >= 15


def test_contrast_check_catches_a_pale_colour():
    css = a11y.STYLESHEET.read_text(encoding="utf-8").replace("--muted: #5b5b66", "--muted: #9a9aa6")
    failed = {f.what for f in a11y.contrast_findings(css) if not f.ok}
    assert "muted text (meta, captions, footer)" in failed


def test_contrast_ratio_matches_the_wcag_examples():
    assert round(a11y.contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(a11y.contrast("#767676", "#ffffff"), 2) == 4.54


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="make test installs chromium")
def test_tab_order_follows_the_page_and_focus_is_visible(live_server, db):
    make_appeal(slug="batyrbekov")
    db.session.rollback()
    stops, problems = a11y.check_focus([f"{live_server}/a/batyrbekov", f"{live_server}/privacy",
                                        f"{live_server}/a/batyrbekov/thanks"])
    assert problems == []
    assert stops > 20
