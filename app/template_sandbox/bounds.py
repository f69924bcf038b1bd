"""Cheap size checks the sandbox makes before a string-building operation runs.

They let the common ways of building a huge text (`'a'.ljust(10**9)`, `|replace('', 'b'*10000)`,
`|join`, `.center`, `.expandtabs`, `'%099999999d' % 1`, big powers) fail at once with a clear
message and the template line. They are the fast path only: the hard limits are the child
process's memory cap and clock (app/template_sandbox/process.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from jinja2 import pass_eval_context
from jinja2.filters import do_batch, do_join, do_replace, do_slice
from jinja2.sandbox import SecurityError

MAX_OUTPUT_CHARS = int(os.environ.get("LETTER_MAX_OUTPUT_CHARS", 2_000_000))
MAX_REPEAT = 10_000  # the longest list `*`, range(), |batch or |slice may build
MAX_INT_BITS = 4_096
MAX_FORMAT_WIDTH = 1_000
# str methods whose result can be far longer than the string, by argument.
_PADDING = frozenset({"ljust", "rjust", "center", "zfill"})
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def too_long() -> SecurityError:
    return SecurityError(f"the template builds a text longer than {MAX_OUTPUT_CHARS} characters")


def _replaced_length(text: str, old: str, new: str, count: int = -1) -> int:
    occurrences = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        occurrences = min(occurrences, count)
    return len(text) + occurrences * (len(new) - len(old))


def check_str_method(text: str, name: str, args: tuple, kwargs: dict) -> None:
    """Refuse a call of `text.<name>(…)` whose result would be longer than MAX_OUTPUT_CHARS."""
    if name in _PADDING and args and isinstance(args[0], int):
        length = args[0]
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        length = len(text) * max(size, 1) if isinstance(size, int) else 0
    elif name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
        length = _replaced_length(text, args[0], args[1], *args[2:3])
    elif name == "join" and args:
        length = _joined_length(text, args[0])
    else:
        return
    if length > MAX_OUTPUT_CHARS:
        raise too_long()


def _joined_length(separator: str, items: object) -> int:
    if not isinstance(items, list | tuple | str):
        return 0  # an iterator: measured by the |join filter or the output limit
    return sum(len(str(item)) for item in items) + len(separator) * max(len(items) - 1, 0)


def check_modulo(left: object, right: object) -> None:
    """`'%099999999d' % 1`: refuse widths and precisions above MAX_FORMAT_WIDTH, and `*`."""
    if not isinstance(left, str):
        return
    for match in _FORMAT_SPEC.finditer(left):
        for value in match.groups():
            if value == "*" or (value and int(value) > MAX_FORMAT_WIDTH):
                raise SecurityError(f"format widths above {MAX_FORMAT_WIDTH} are not allowed")


def check_power(left: object, right: object) -> None:
    """`x ** y` only with small results (a huge power is one long C call)."""
    if isinstance(right, int | float) and abs(right) > 64:
        raise SecurityError("exponents above 64 are not allowed in letters")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > MAX_INT_BITS:
        raise SecurityError("the template computes a number that is too large")


def check_repeat(left: object, right: object) -> None:
    """`'x' * n`, `[..] * n`: at most MAX_REPEAT items; int products stay small too."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            if len(seq) * max(times, 0) > MAX_REPEAT:
                raise SecurityError("the template builds a text or list that is too long")
    if isinstance(left, int) and isinstance(right, int) and \
            left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise SecurityError("the template computes a number that is too large")


@pass_eval_context
def bounded_replace(eval_ctx, s, old, new, count=None):  # noqa: ANN001, ANN201
    """`|replace` that refuses a result longer than MAX_OUTPUT_CHARS."""
    if _replaced_length(str(s), str(old), str(new), -1 if count is None else count) > MAX_OUTPUT_CHARS:
        raise too_long()
    return do_replace(eval_ctx, s, old, new, count)


@pass_eval_context
def bounded_join(eval_ctx, value: Iterable, d: str = "", attribute=None):  # noqa: ANN001, ANN201
    """`|join` that measures the items first."""
    items = list(value)
    if len(items) > MAX_OUTPUT_CHARS or _joined_length(str(d), [str(i) for i in items]) > MAX_OUTPUT_CHARS:
        raise too_long()
    return do_join(eval_ctx, items, d, attribute)


def bounded_batch(value, linecount: int, fill_with=None):  # noqa: ANN001, ANN201
    """`|batch` with at most MAX_REPEAT items a line (the fill would repeat)."""
    if not isinstance(linecount, int) or linecount > MAX_REPEAT:
        raise SecurityError(f"batch() is limited to {MAX_REPEAT} items a line in letters")
    return do_batch(value, linecount, fill_with)


def bounded_slice(value, slices: int, fill_with=None):  # noqa: ANN001, ANN201
    """`|slice` into at most MAX_REPEAT columns."""
    if not isinstance(slices, int) or slices > MAX_REPEAT:
        raise SecurityError(f"slice() is limited to {MAX_REPEAT} columns in letters")
    return do_slice(value, slices, fill_with)


BOUNDED_FILTERS = {"replace": bounded_replace, "join": bounded_join, "batch": bounded_batch,
                   "slice": bounded_slice}
