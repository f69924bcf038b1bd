"""Posting the appeal editor's form as a browser would: every field, and one button."""

from __future__ import annotations

import re
from html import unescape

from tests.conftest import csrf_token

_INPUT = re.compile(r'<input ([^>]*)>')
_TEXTAREA = re.compile(r'<textarea ([^>]*)>(.*?)</textarea>', re.S)
_SELECT = re.compile(r'<select ([^>]*)>(.*?)</select>', re.S)


def _attr(attrs: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', attrs)
    return unescape(found.group(1)) if found else None


def form_fields(html: str) -> dict[str, str]:
    """The values the editor's form would send (first form on the page), as a browser sends them."""
    form = html.split('<form method="post" class="editor"', 1)[1].split("</form>", 1)[0]
    values: dict[str, str] = {}
    for attrs in _INPUT.findall(form):
        name, kind = _attr(attrs, "name"), _attr(attrs, "type") or "text"
        if not name or name == "pick" or "disabled" in attrs:
            continue
        if kind == "checkbox":
            if re.search(r"\bchecked\b", attrs):
                values[name] = _attr(attrs, "value") or "y"
            continue
        values[name] = _attr(attrs, "value") or ""
    for attrs, text in _TEXTAREA.findall(form):
        values[_attr(attrs, "name")] = unescape(text).removeprefix("\r\n").removeprefix("\n")
    for attrs, options in _SELECT.findall(form):
        selected = (re.search(r'<option ([^>]*\bselected[^>]*)>', options)
                    or re.search(r"<option ([^>]*)>", options))
        values[_attr(attrs, "name")] = _attr(selected.group(1), "value") if selected else ""
    return values


def press(client, url: str, html: str, action: str, **changes):  # noqa: ANN001
    """Send the form shown in `html` with `changes` typed in, pressing the button `action`."""
    data = form_fields(html)
    data.update({k.replace("__", "-"): v for k, v in changes.items() if k != "pick"})
    data["csrf_token"] = csrf_token(html)
    data["action"] = action
    if "pick" in changes:
        data["pick"] = list(changes["pick"])
    return client.post(url, data=data)
