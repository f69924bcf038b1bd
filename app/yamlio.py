"""YAML reading that remembers where each value came from, so errors name file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Problem:
    """One thing wrong in a data file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Located:
    """Parsed YAML plus a map from a field path (("demands", 0, "text")) to its 1-based line."""

    file: str
    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int | None:
        """The line of `path`, or of its nearest located parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, path: tuple, message: str) -> Problem:
        return Problem(self.file, self.line(*path), dotted(path), message)


class DataFileError(Exception):
    """A file that is not valid; `problems` lists every error found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _build(node: yaml.Node, path: tuple, lines: dict[tuple, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            key = yaml.safe_load(yaml.serialize(key_node)) if not isinstance(
                key_node, yaml.ScalarNode) else key_node.value
            result[key] = _build(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines) for i, item in enumerate(node.value)]
    # Scalars: let the safe constructor resolve the type (int, date, bool, null…).
    return yaml.SafeLoader(yaml.serialize(node)).get_single_data() if node.tag != \
        "tag:yaml.org,2002:str" else node.value


def load_located(text: str, file: str) -> Located:
    """Parse YAML text (safe types only) keeping line numbers; a syntax error becomes a Problem."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        raise DataFileError([Problem(file, line, "", f"not valid YAML: {reason}")]) from None
    if node is not None:
        _refuse_aliases(node, file)
    lines: dict[tuple, int] = {}
    try:
        data = _build(node, (), lines) if node is not None else None
    except (TypeError, RecursionError, yaml.YAMLError) as error:  # e.g. a list as a mapping key
        raise DataFileError([Problem(file, None, "", f"not valid data: {error}")]) from None
    return Located(file=file, data=data, lines=lines)


def _refuse_aliases(root: yaml.Node, file: str) -> None:
    """Data files have no use for anchors and aliases (& and *), and an alias bomb would expand
    exponentially when the document is walked: refuse any node reached twice."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise DataFileError([Problem(file, node.start_mark.line + 1, "",
                                         "anchors and aliases (& and *) are not allowed")])
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                stack.extend((key_node, value_node))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def load_file(path: Path) -> Located:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DataFileError([Problem(str(path), None, "", f"not UTF-8 text ({error.reason})")]) from None
    except OSError as error:
        raise DataFileError([Problem(str(path), None, "", f"cannot be read: {error.strerror}")]) from None
    return load_located(text, str(path))


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump(data: Any) -> str:
    """Stable, human-reviewable YAML: keys in the given order, block text for multi-line strings."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
