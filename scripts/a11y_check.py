"""WCAG 2.2 AA checks of the public pages that a script can make.

1. Contrast (1.4.3, 1.4.11): every colour pair the stylesheet uses, resolved from its custom
   properties, against 4.5:1 for text and 3:1 for borders, focus rings and other non-text parts.
2. Focus order (2.4.3, 2.4.7): in Chromium with JavaScript off, pressing Tab visits the visible
   controls in document order, and each one shows a focus outline.

Usage:
  python scripts/a11y_check.py                  # contrast only
  python scripts/a11y_check.py URL [URL ...]    # contrast, then focus order of each page
Prints `name: value` lines and one line per problem; exits 1 on any problem.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parent.parent / "app" / "static" / "style.css"
TEXT, NON_TEXT = 4.5, 3.0

# (what, foreground, background, minimum): colours as in the stylesheet, var(--x) or #hex.
PAIRS = [
    ("body text", "var(--ink)", "var(--bg)", TEXT),
    ("body text in panels and the sign box", "var(--ink)", "#fff", TEXT),
    ("muted text (meta, captions, footer)", "var(--muted)", "var(--bg)", TEXT),
    ("muted text in panels and the sign box", "var(--muted)", "#fff", TEXT),
    ("links", "var(--accent)", "var(--bg)", TEXT),
    ("links in panels and the sign box", "var(--accent)", "#fff", TEXT),
    ("button and Sign link text", "#fff", "var(--accent)", TEXT),
    ("error text", "#b00020", "#fff", TEXT),
    ("error text on the page", "#b00020", "var(--bg)", TEXT),
    ("paused badge", "var(--warn)", "#fde8c8", TEXT),
    ("open/sent badge", "var(--ok)", "#d8f0df", TEXT),
    ("notice text", "var(--ink)", "#fff7e8", TEXT),
    ("copy-link field text", "var(--ink)", "#f3f3f6", TEXT),
    ("input borders", "var(--field-border)", "#fff", NON_TEXT),
    ("focus ring on the page", "var(--focus)", "var(--bg)", NON_TEXT),
    ("focus ring in the sign box", "var(--focus)", "#fff", NON_TEXT),
    ("progress bar against its track", "var(--accent)", "var(--line)", NON_TEXT),
    ("share link borders", "var(--accent)", "var(--bg)", NON_TEXT),
]


def custom_properties(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{([^}]*)\}", css)
    return dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})", root.group(1) if root else ""))


def resolve(colour: str, properties: dict[str, str]) -> str:
    match = re.fullmatch(r"var\(--([\w-]+)\)", colour)
    return properties[match.group(1)] if match else colour


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Finding:
    what: str
    ratio: float
    minimum: float

    @property
    def ok(self) -> bool:
        return self.ratio >= self.minimum


def contrast_findings(css: str | None = None) -> list[Finding]:
    css = css if css is not None else STYLESHEET.read_text(encoding="utf-8")
    properties = custom_properties(css)
    return [Finding(what, round(contrast(resolve(fg, properties), resolve(bg, properties)), 2), minimum)
            for what, fg, bg, minimum in PAIRS]


OUTLINE = "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary"


def _key(element) -> str:  # noqa: ANN001
    return element.evaluate("e => e.outerHTML.slice(0, 120)")


def expected_tab_stops(page) -> list[str]:  # noqa: ANN001
    """The visible controls in document order; a radio group is one stop (its checked radio)."""
    stops, groups = [], set()
    for element in page.locator(FOCUSABLE).all():
        if not element.is_visible() or element.get_attribute("tabindex") == "-1":
            continue
        if element.get_attribute("type") == "radio":
            name = element.get_attribute("name")
            if name in groups or not element.is_checked():
                continue
            groups.add(name)
        stops.append(_key(element))
    return stops


def focus_problems(page, url: str) -> list[str]:  # noqa: ANN001
    """Tab through `url`: problems with the order and with visible focus, as lines."""
    page.goto(url)
    expected = expected_tab_stops(page)
    problems = []
    for position, wanted in enumerate(expected):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        got = _key(focused) if focused.count() else "(nothing)"
        if got != wanted:
            problems.append(f"{url}: tab stop {position + 1} is {got!r}, expected {wanted!r}")
            break
        outline = focused.evaluate(OUTLINE)
        if outline.startswith("none") or outline.endswith(" 0px"):
            problems.append(f"{url}: no visible focus on {got!r} ({outline})")
    return problems


def check_focus(urls: list[str]) -> tuple[int, list[str]]:
    from playwright.sync_api import sync_playwright

    problems, stops = [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for url in urls:
            page = browser.new_context(java_script_enabled=False,
                                       viewport={"width": 1280, "height": 900}).new_page()
            stops += len(expected_tab_stops(page) if page.goto(url) else [])
            problems += focus_problems(page, url)
        browser.close()
    return stops, problems


def main(urls: list[str]) -> int:
    findings = contrast_findings()
    failures = [f for f in findings if not f.ok]
    print(f"contrast_pairs: {len(findings)}")
    print(f"contrast_lowest: {min(f.ratio for f in findings)}")
    for f in failures:
        print(f"contrast too low: {f.what}: {f.ratio}:1 < {f.minimum}:1")
    problems: list[str] = []
    if urls:
        stops, problems = check_focus(urls)
        print(f"focus_stops_checked: {stops}")
        for line in problems:
            print(line)
    return 1 if failures or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
