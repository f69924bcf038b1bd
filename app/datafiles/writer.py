"""Writing YAML data files: stable, human-reviewable, the form `import` reads back unchanged."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump(data: Any) -> str:
    """Keys in the given order, block text for multi-line strings, text that YAML 1.1 would read
    as something else (`'130'`, `'NO'`) in quotes so other tools read it as text too."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
