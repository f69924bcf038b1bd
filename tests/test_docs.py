"""README.md and docs/ name only what exists: links, paths, tests, `flask` commands and options,
and docs/configuration.md names every environment variable the app reads."""

from __future__ import annotations

import re
from itertools import product
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Commands Flask and its extensions add (not the app's own).
BUILTIN_COMMANDS = {"db", "run", "routes", "shell", "limiter"}
# Paths a doc shows as an example of something the reader creates.
EXAMPLE_PATHS = {"app/translations/ky/LC_MESSAGES/messages.po"}
PATH = re.compile(r"(?<![\w/.-])((?:app|tests|scripts|letter_templates|recipients|migrations|bench|docs)"
                  r"/[\w./<>{},*-]*)")
ENV_READ = re.compile(r"(?:os\.environ\.get|_env_int|_env_bool)\(\s*\"([A-Z][A-Z0-9_]+)\"")


def _code_spans(text: str) -> list[str]:
    """Inline `code` and the lines of fenced or indented code blocks."""
    spans, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif fenced or line.startswith("    "):
            spans.append(line)
        else:
            spans += re.findall(r"`([^`]+)`", line)
    return spans


def _expansions(path: str) -> list[str]:
    """`a/{b,c}/<x>.py` -> glob patterns `a/b/*.py`, `a/c/*.py`."""
    path = re.sub(r"<[^>]*>", "*", path.rstrip(".,:;"))
    parts = re.split(r"\{([^}]*)\}", path)
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(c) for c in product(*choices)]


def test_every_relative_link_resolves():
    broken = []
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text()):
            path = target.split("#")[0]
            if path and not re.match(r"[a-z]+:", path) and not (doc.parent / path).exists():
                broken.append(f"{doc.name}: {target}")
    assert broken == []


def test_every_path_named_exists():
    missing = []
    for doc in DOCS:
        for span in _code_spans(doc.read_text()):
            for found in PATH.findall(span):
                name = found.split("::")[0].rstrip(".,:;")
                if name not in EXAMPLE_PATHS and not any(
                        list(ROOT.glob(p.rstrip("/"))) for p in _expansions(name)):
                    missing.append(f"{doc.name}: {name}")
    assert missing == []


def test_every_test_named_exists():
    missing = []
    for doc in DOCS:
        last_file = None
        for file, name in re.findall(r"(tests/[\w/]+\.py)?::(test_\w+)", doc.read_text()):
            last_file = file or last_file
            if not re.search(rf"def {name}\(", (ROOT / last_file).read_text()):
                missing.append(f"{doc.name}: {last_file}::{name}")
    assert missing == []


def test_every_flask_command_and_option_named_exists(app):
    unknown = []
    for doc in DOCS:
        for span in _code_spans(doc.read_text()):
            for words in re.findall(r"\bflask\s+((?:--app\s+\S+\s+)?[^|;&#>`/]*)", span):
                words = re.sub(r"^--app\s+\S+\s+", "", words).split()
                if not words or words[0] in BUILTIN_COMMANDS or not words[0].islower():
                    continue
                problem = _unknown_in(app.cli, words)
                if problem:
                    unknown.append(f"{doc.name}: flask {' '.join(words)}: {problem}")
    assert unknown == []


def _unknown_in(group: click.Group, words: list[str]) -> str | None:
    command = group.commands.get(words[0])
    if command is None:
        return f"no command {words[0]!r}"
    rest = words[1:]
    if isinstance(command, click.Group):
        if not rest or rest[0].startswith("-") or rest[0] not in command.commands:
            return None if not rest or rest[0].isupper() else f"no command {rest[0]!r}"
        command, rest = command.commands[rest[0]], rest[1:]
    options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    for option in (w.strip("[]").split("=")[0] for w in rest if w.lstrip("[").startswith("--")):
        for part in option.split("|"):
            if part not in options:
                return f"no option {part}"
    return None


def test_every_environment_variable_read_is_in_the_configuration_page():
    sources = [*(ROOT / "app").rglob("*.py"), ROOT / "gunicorn.conf.py"]
    read = {name for source in sources for name in ENV_READ.findall(source.read_text())}
    page = (ROOT / "docs" / "configuration.md").read_text()
    assert sorted(name for name in read if f"`{name}`" not in page) == []


def test_every_letter_template_variable_is_in_the_letters_page():
    from app.template_sandbox.environment import VARIABLES

    page = (ROOT / "docs" / "letters.md").read_text()
    # the first column of a row of its variables table
    assert [name for name in VARIABLES if not re.search(rf"^\|[^|]*`{name}`[^|]*\|", page, re.M)] == []
