"""Drawing: plain functions from numbers to an SVG element tree (ElementTree escapes the text).

Colours and sizes are presentation attributes, not `style`: the CSP allows no inline style, and
the SVG must read the same when opened on its own. Nothing is fetched: no font, image or link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 600
INK = "#1f2933"
GRID = "#cbd2d9"
COLOURS = {"main": "#1f5fa8", "light": "#9dbce0", "warn": "#b54708", "reply": "#2f7d32"}
FONT = {"font-family": "sans-serif", "font-size": "15", "fill": INK}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str = "main"
    value_text: str = ""  # the value as the page writes numbers (localised)


@dataclass(frozen=True)
class Column:
    """One vertical bar of a time chart: a bottom and a top part (confirmed, pending)."""

    bottom: int
    top: int = 0


def _svg(height: int, title: str) -> ET.Element:
    root = ET.Element("svg", {"xmlns": SVG_NS, "viewBox": f"0 0 {WIDTH} {height}",
                              "width": str(WIDTH), "height": str(height), "role": "img",
                              "aria-label": title, "class": "chart-svg"})
    ET.SubElement(root, "title").text = title
    return root


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> None:
    ET.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", **FONT, **attrs}).text = text


def _rect(parent: ET.Element, x: float, y: float, w: float, h: float, colour: str) -> None:
    ET.SubElement(parent, "rect", {"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{max(w, 0):.1f}",
                                   "height": f"{max(h, 0):.1f}", "fill": COLOURS[colour]})


def _markup(root: ET.Element) -> Markup:
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704 - built by ElementTree


def horizontal_bars(title: str, bars: Sequence[Bar], empty_text: str) -> Markup:
    """One labelled bar per item, longest scale = largest value; `empty_text` when none."""
    row, label_width, top = 30, 220, 8
    height = top * 2 + row * max(len(bars), 1)
    root = _svg(height, title)
    if not bars:
        _text(root, 8, top + 17, empty_text)
        return _markup(root)
    largest = max(bar.value for bar in bars) or 1
    scale = (WIDTH - label_width - 70) / largest
    for i, bar in enumerate(bars):
        y = top + i * row
        _text(root, label_width - 8, y + 20, _short(bar.label), **{"text-anchor": "end"})
        _rect(root, label_width, y + 5, bar.value * scale, row - 10, bar.colour)
        _text(root, label_width + bar.value * scale + 6, y + 20, bar.value_text or str(bar.value))
    return _markup(root)


def _short(label: str, most: int = 22) -> str:
    """A label that fits beside the bars (the table beside the chart has it in full)."""
    return label if len(label) <= most else label[:most - 1].rstrip() + "…"


def columns(title: str, columns_: Sequence[Column], first: str, last: str,
            top_text: str, empty_text: str) -> Markup:
    """Stacked columns in time order, with the first and last date and the highest value."""
    root, left, base, top = _time_frame(title, empty_text if not columns_ else None)
    if not columns_:
        return _markup(root)
    largest = max(c.bottom + c.top for c in columns_) or 1
    scale = (base - top) / largest
    step = (WIDTH - 4 - left) / len(columns_)
    for i, column in enumerate(columns_):
        x, w = left + i * step + step * 0.1, step * 0.8
        _rect(root, x, base - column.bottom * scale, w, column.bottom * scale, "main")
        _rect(root, x, base - (column.bottom + column.top) * scale, w, column.top * scale, "light")
    _axis_labels(root, left, base, top, top_text, first, last)
    return _markup(root)


def cumulative(title: str, totals: Sequence[int], goal: int | None, first: str, last: str,
               top_text: str, goal_text: str, empty_text: str) -> Markup:
    """The running total as a line, against a dashed goal line when there is a goal."""
    root, left, base, top = _time_frame(title, empty_text if not totals else None)
    if not totals:
        return _markup(root)
    largest = max(max(totals), goal or 0) or 1
    scale = (base - top) / largest
    step = (WIDTH - 4 - left) / max(len(totals) - 1, 1)
    points = " ".join(f"{left + i * step:.1f},{base - total * scale:.1f}"
                      for i, total in enumerate(totals))
    ET.SubElement(root, "polyline", {"points": points, "fill": "none",
                                     "stroke": COLOURS["main"], "stroke-width": "2.5"})
    if goal:
        y = base - goal * scale
        _line(root, left, y, WIDTH - 4, y, colour=COLOURS["warn"], dash="6 4")
        _text(root, WIDTH - 8, y - 4 if y > top + 14 else y + 14, goal_text,
              **{"text-anchor": "end", "fill": COLOURS["warn"]})
    _axis_labels(root, left, base, top, top_text, first, last)
    return _markup(root)


def _time_frame(title: str, empty_text: str | None) -> tuple[ET.Element, int, int, int]:
    """A time chart's frame: (root, left edge, baseline y, top y); the empty text when no data."""
    height, left, bottom_margin, top = 240, 64, 28, 12
    root = _svg(height, title)
    base = height - bottom_margin
    _line(root, left, base, WIDTH - 4, base)
    if empty_text is not None:
        _text(root, left + 8, base - 80, empty_text)
    return root, left, base, top


def _line(parent: ET.Element, x1: float, y1: float, x2: float, y2: float, *, colour: str = GRID,
          dash: str | None = None) -> None:
    attrs = {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}",
             "stroke": colour, "stroke-width": "1.5"}
    if dash:
        attrs["stroke-dasharray"] = dash
    ET.SubElement(parent, "line", attrs)


def _axis_labels(root: ET.Element, left: int, base: float, top: int, top_text: str,
                 first: str, last: str) -> None:
    _line(root, left, top, WIDTH - 4, top)
    _text(root, left - 6, top + 4, top_text, **{"text-anchor": "end"})
    _text(root, left - 6, base + 4, "0", **{"text-anchor": "end"})
    _text(root, left, base + 22, first)
    if last != first:
        _text(root, WIDTH - 4, base + 22, last, **{"text-anchor": "end"})
