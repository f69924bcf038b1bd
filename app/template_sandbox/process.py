"""Coordinator templates rendered in a child process, under limits no template can dodge.

The sandbox (app/template_sandbox/environment.py) bounds the operations it intercepts, but a template can
still loop where nothing is checked, or build a huge string in one C call. So every render of
coordinator-edited text (letter bodies, statement texts, previews, e-mails) runs here, in a
long-lived child process:

- memory: the child's address space is capped (RLIMIT_AS, LETTER_MAX_RENDER_MB);
- time: an alarm in the child stops the render after the budget (the error names the template
  line), and the parent kills the child one second later if even that did not work;
- a child that was killed, ran out of memory or died is replaced by a fresh one.

Children are forked from a small server process that imported only the sandbox (multiprocessing
"forkserver"): they share nothing with the web process (no database connection, no thread),
and a new one starts in milliseconds. Every failure is a LetterTemplateError, never a 500.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
import resource
import signal
import threading
from collections.abc import Sequence

from markupsafe import Markup

from app.template_sandbox.environment import MAX_RENDER_S, LetterTemplateError

MAX_RENDER_MB = int(os.environ.get("LETTER_MAX_RENDER_MB", 256))
# A batch renders all its bodies in one call: the budget grows a little with each letter.
RENDER_S_PER_EXTRA_LETTER = float(os.environ.get("LETTER_RENDER_S_PER_EXTRA_LETTER", 0.05))
KILL_GRACE_S = 1.0
MAX_IDLE_CHILDREN = 4

# One job: (template source, letter variables). One reply: ("ok", [html, ...]) or
# ("error", message, line, child_must_go).


def call_budget(jobs: int) -> float:
    """Seconds one call rendering `jobs` templates may take."""
    return MAX_RENDER_S + max(jobs - 1, 0) * RENDER_S_PER_EXTRA_LETTER


# --- In the child ---------------------------------------------------------------------------------


class _OutOfTime(BaseException):
    """Raised by the alarm inside the render (a BaseException: templates cannot catch it)."""


def _on_alarm(_signum, _frame) -> None:  # noqa: ANN001
    raise _OutOfTime


@functools.lru_cache(maxsize=64)
def _compiled(source: str):  # noqa: ANN202
    """Compiling costs more than rendering: a batch compiles its body once, in the child."""
    from app.template_sandbox.environment import compile_user_template

    return compile_user_template(source)


def _render_jobs(jobs: list, budget: float) -> tuple:
    from app.template_sandbox.environment import render_template_object

    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        results = []
        for source, context in jobs:
            template = _compiled(source)
            results.append("" if context is None else str(render_template_object(template, context)))
        return ("ok", results)
    except LetterTemplateError as error:
        return ("error", error.message, error.line, False)
    except _OutOfTime:
        return ("error", f"the template ran longer than {budget:g} seconds and was stopped",
                None, False)
    except MemoryError:
        return ("error", f"the template needs more memory than letters may use ({MAX_RENDER_MB} MB)",
                None, True)
    except RecursionError:
        return ("error", "the template is nested too deeply", None, True)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _serve(connection) -> None:  # noqa: ANN001
    """The child's loop: one request in, one reply out, until the parent hangs up."""
    limit = MAX_RENDER_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _on_alarm)
    while True:
        try:
            jobs, budget = connection.recv()
        except (EOFError, OSError):
            return
        reply = _render_jobs(jobs, budget)
        connection.send(reply)
        if reply[0] == "error" and reply[3]:
            return  # after running out of memory or stack, start afresh


# --- In the parent --------------------------------------------------------------------------------


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["app.template_sandbox.process"])
    return context


class _Child:
    """One render process and the parent's end of its pipe."""

    def __init__(self) -> None:
        context = _context()
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True,
                                       name="letter-sandbox")
        self.process.start()
        child_end.close()
        self.owner = os.getpid()

    def call(self, jobs: list, budget: float) -> tuple:
        """Send the jobs and wait for the reply; kill the child when it does not come in time."""
        try:
            self.connection.send((jobs, budget))
            if self.connection.poll(budget + KILL_GRACE_S):
                return self.connection.recv()
        except (EOFError, OSError):
            self.stop()
            return ("error", "the template stopped the letter renderer (too much memory?)",
                    None, True)
        self.stop()
        return ("error", f"the template ran longer than {budget:g} seconds and was stopped",
                None, True)

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


_idle: queue.LifoQueue[_Child] = queue.LifoQueue()
_idle_lock = threading.Lock()


def _take_child() -> _Child:
    while True:
        try:
            child = _idle.get_nowait()
        except queue.Empty:
            return _Child()
        # A child inherited through a fork (gunicorn) belongs to the parent that started it.
        if child.owner == os.getpid() and child.process.is_alive():
            return child


def _give_back(child: _Child) -> None:
    with _idle_lock:
        if _idle.qsize() < MAX_IDLE_CHILDREN:
            _idle.put(child)
            return
    child.stop()


def render_isolated(jobs: Sequence[tuple[str, dict | None]]) -> list[Markup]:
    """Render each (template source, letter variables) in the child process, in one call
    (variables None: only compile).

    Raises LetterTemplateError(message, line) for the first template that fails, runs out of
    time (call_budget) or memory (MAX_RENDER_MB), exactly like the in-process sandbox would.
    """
    if not jobs:
        return []
    budget = call_budget(len(jobs))
    child = _take_child()
    try:
        reply = child.call(list(jobs), budget)
    except Exception:  # e.g. variables that cannot be pickled: a bug, but never leak the child
        child.stop()
        raise
    if reply[0] == "ok":
        _give_back(child)
        return [Markup(html) for html in reply[1]]
    _status, message, line, child_must_go = reply
    if child_must_go:
        child.stop()
    else:
        _give_back(child)
    raise LetterTemplateError(message, line)


def check_compiles(source: str) -> None:
    """Compile `source` in the child (a hostile source can be slow to parse). Raises
    LetterTemplateError."""
    render_isolated([(source, None)])


def compile_problem(source: str) -> str | None:
    """Why `source` does not compile (check_compiles' message), or None when it does."""
    try:
        check_compiles(source)
    except LetterTemplateError as error:
        return str(error)
    return None


def render_one(source: str, context: dict) -> Markup:
    """One coordinator template, isolated (see render_isolated)."""
    return render_isolated([(source, context)])[0]


def shutdown() -> None:
    """Stop the idle children (tests, and the end of a worker process)."""
    while True:
        try:
            child = _idle.get_nowait()
        except queue.Empty:
            return
        if child.owner == os.getpid():
            child.stop()
