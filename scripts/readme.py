"""Rebuild README.md's reference part from docs/*.md (or, with --check, say whether it is stale).

README.md is the overview written by hand down to "## Running at scale", then each area's
section from docs/, in the order below, so a newcomer reads one file and each area keeps its
own.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ["scale", "directory", "letters", "appeals", "statements", "delivery"]
MARKER = "## Running at scale"


def built() -> str:
    readme = (ROOT / "README.md").read_text()
    head = readme[:readme.index(MARKER)]
    return head + "\n\n".join((ROOT / "docs" / f"{name}.md").read_text().strip()
                              for name in SECTIONS) + "\n"


def main() -> int:
    text = built()
    if "--check" in sys.argv:
        if text != (ROOT / "README.md").read_text():
            print("README.md is older than docs/*.md: run `python scripts/readme.py`")
            return 1
        return 0
    (ROOT / "README.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
