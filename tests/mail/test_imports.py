"""app/mail builds and sends messages; it must not reach into any domain area."""

from __future__ import annotations

import ast
from pathlib import Path

MAIL = Path(__file__).resolve().parents[2] / "app" / "mail"
# Modules of app that every package may use: configuration, extensions, text helpers, languages.
ALLOWED = {"app.config", "app.extensions", "app.text", "app.mail", "app.i18n", "app.languages"}


def _app_imports(path: Path) -> set[str]:
    """Every app.* module a file imports, at any depth (including imports inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level:
            names.add("relative import")
    return {name for name in names if name == "app" or name.startswith("app.")
            or name == "relative import"}


def _allowed(name: str) -> bool:
    return any(name == allowed or name.startswith(allowed + ".") for allowed in ALLOWED)


def test_mail_imports_no_domain_area():
    files = sorted(MAIL.glob("*.py"))
    assert files
    offending = {f"{path.name}: {name}" for path in files for name in _app_imports(path)
                 if not _allowed(name)}
    assert offending == set()
