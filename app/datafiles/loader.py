"""Reading YAML data files: every value stays text until a schema says otherwise, every value
keeps its line.

PyYAML follows YAML 1.1, where `ON`, `NO`, `yes` and `off` are booleans, `010000` is an octal
number and `1:20` is a sexagesimal one: a country code `NO` becomes `False` and the error then
blames the wrong thing. Here a plain scalar is only ever text or (`null`, `~`, empty) nothing; the
schema turns text into a number, a date or a flag where it expects one, so `NO` stays Norway and a
postal code keeps its leading zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.datafiles.errors import DataFileError, Problem, dotted

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class TextLoader(yaml.SafeLoader):
    """A safe loader that resolves plain scalars to text or null, nothing else."""

    yaml_implicit_resolvers: dict = {}


TextLoader.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


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
        """A Problem at `path` of this document."""
        return Problem(self.file, self.line(*path), dotted(path), message, tuple(path))


def _refuse(node: yaml.Node, file: str, message: str) -> DataFileError:
    return DataFileError([Problem(file, node.start_mark.line + 1, "", message)])


class _Builder:
    """Turns composed nodes into dicts, lists, text and None, recording each value's line."""

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[tuple, int] = {}
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: tuple) -> Any:
        # Data files have no use for anchors and aliases (& and *), and an alias bomb would expand
        # exponentially: a node reached twice is refused.
        if id(node) in self.seen:  # an alias: its own line is its field's (the node is the anchor's)
            raise DataFileError([Problem(self.file, self.lines.get(path, node.start_mark.line + 1), "",
                                         _("anchors and aliases (& and *) are not allowed"))])
        self.seen.add(id(node))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.tag in (_STR, _NULL):
            return node.value if node.tag == _STR else None
        raise _refuse(node, self.file, _("tags such as %(tag)s are not allowed; write the value "
                                         "without one", tag=node.tag.replace("tag:yaml.org,2002:", "!!")))

    def mapping(self, node: yaml.MappingNode, path: tuple) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _STR):
                raise _refuse(key_node, self.file, _("a field name must be plain text"))
            key, line = key_node.value, key_node.start_mark.line + 1
            if key in result:
                raise _refuse(key_node, self.file, _("%(key)s is given twice (also on line %(line)s)",
                                                     key=key, line=self.lines[(*path, key)]))
            self.lines[(*path, key)] = line  # a field's line is its name's, not its value's
            result[key] = self.build(value_node, (*path, key))
        return result


# PyYAML's wording -> what to do about it. The first match wins.
_HINTS = (
    ("mapping values are not allowed", _l("a ': ' here starts a new field; if this value is text "
     "containing a colon, put the whole value in quotes, e.g. title: 'Kazakhstan: free him'")),
    ("cannot start any token", _l("a tab or a special character starts this value; indent with "
     "spaces, and put text starting with @, ` or % in quotes")),
    ("could not find expected ':'", _l("a field is missing its ':' or a quoted text is not closed")),
    ("expected <block end>", _l("the indentation of this line does not match the lines above")),
    ("unknown escape character", _l("a backslash in double quotes starts an escape; use single quotes")),
    ("end of stream", _l("a quoted text or a bracket is not closed")),
)


def _syntax_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):
        line = text.count("\n", 0, error.position) + 1
        return Problem(file, line, "", _("contains a control character (#x%(code)04x) that a data "
                                          "file cannot hold", code=error.character))
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    hint = next((str(advice) for needle, advice in _HINTS if needle in reason), None)
    message = _("not valid YAML: %(reason)s", reason=reason)
    return Problem(file, mark.line + 1 if mark else None, "", f"{message} ({hint})" if hint else message)


def load_text(text: str, file: str) -> Located:
    """Parse YAML text keeping line numbers; raises DataFileError with a plain-language problem."""
    try:
        node = yaml.compose(text, Loader=TextLoader)
    except yaml.YAMLError as error:
        raise DataFileError([_syntax_problem(error, text, file)]) from None
    builder = _Builder(file)
    try:
        data = builder.build(node, ()) if node is not None else None
    except RecursionError:
        raise DataFileError([Problem(file, None, "", _("is nested too deeply"))]) from None
    return Located(file=file, data=data, lines=builder.lines)


def load_file(path: Path) -> Located:
    """Read and parse one file; unreadable or non-UTF-8 files become a DataFileError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError([Problem(str(path), None, "", _("no such file"))]) from None
    except UnicodeDecodeError as error:
        raise DataFileError([Problem(str(path), None, "", _("not UTF-8 text (%(why)s); save the file "
                                                            "as UTF-8", why=error.reason))]) from None
    except OSError as error:
        raise DataFileError([Problem(str(path), None, "", _("cannot be read: %(why)s",
                                                            why=error.strerror))]) from None
    return load_text(text, str(path))


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The *.yaml files named by `paths` (files, or directories read non-recursively), sorted."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(path)
    return found
