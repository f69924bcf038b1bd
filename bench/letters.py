"""Letters speed and memory: naive loop vs chunked batch, a 10,000-name annex, batch peak RSS.

    python bench/letters.py [--quick]

Speeds and the annex time are each the best of three runs. Prints, last, exactly these lines:
    naive_letters_per_s: N
    batch_letters_per_s: N
    batch_vs_naive: N
    annex_10000_s: N
    batch_10000_peak_rss_mb: N
    body_in_process_ms: N           (a compiled coordinator body rendered here, the baseline)
    body_isolated_ms: N             (the same through the sandbox process, as the app does it)
    body_isolation_overhead_ms: N
    body_isolated_100_in_one_call_ms: N
    letter_pdf_with_body_ms: N      (for scale: one whole letter with that body)
No database is needed: letters are built from view records, as the batch workers get them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench")

from app.letters.views import (  # noqa: E402
    AppealView,
    DemandView,
    HolderView,
    LetterUnit,
    OrganisationView,
    PersonView,
    PostView,
    RecipientView,
    SignatoryView,
)

COUNTRIES = ("Germany", "Kazakhstan", "France", "Poland", "Norway", "Canada")
CITIES = ("Berlin", "Алматы", "Paris", "Kraków", "Oslo", "Toronto")


def make_units(count: int, *, annex: int = 0) -> list[LetterUnit]:
    """`count` one-page letters, each to a different (made-up) official."""
    appeal = AppealView(
        slug="bench", title="Free Amangeldy Batyrbekov", subject="Release Amangeldy Batyrbekov",
        summary="Journalist and editor Amangeldy Batyrbekov was sentenced to 27 months for Facebook "
                "posts about alleged corruption.", reference="BENCH", court="Saryagash district court",
        people=(PersonView("Amangeldy Batyrbekov", "journalist", "imprisoned"),),
        charges=("Defamation (Criminal Code, 130)",),
        demands=(DemandView(1, "the General Prosecutor", "Decriminalise defamation and insult."),
                 DemandView(2, "the Ministry of Information", "Reform media legislation.")),
        signatory_count=annex or 1234,
    )
    organisation = OrganisationView("Adil Soz", ("Abay Ave 1", "Almaty 050000"), "https://adilsoz.example")
    signatories = tuple(
        SignatoryView(f"Supporter {n:05d} Surname", CITIES[n % 6], "XX", COUNTRIES[n % 6])
        for n in range(annex)
    )
    units = []
    for n in range(count):
        name = f"Official Number {n:05d}"
        recipient = RecipientView(
            slug=f"post-{n:05d}", name=name, post_label="Prosecutor of the region",
            organisation="Prosecutor's Office", salutation="Dear Prosecutor", language="en",
            address_lines=(name, "Prosecutor of the region", "Prosecutor's Office",
                           f"Street {n % 97 + 1}", "Astana 010000", "Kazakhstan"))
        units.append(LetterUnit(
            language="en", appeal=appeal, recipient=recipient,
            post=PostView(recipient.slug, recipient.post_label, recipient.organisation,
                          recipient.salutation),
            holder=HolderView(name), organisation=organisation, date=date(2019, 11, 1),
            signatories=signatories, with_annex=bool(annex)))
    return units


def naive(units: list[LetterUnit]) -> float:
    """Letters/s of the naive loop: one HTML(string=...).write_pdf() per letter."""
    from weasyprint import HTML

    from app.letters.fetcher import ASSET_BASE_URL, asset_fetcher
    from app.letters.render import document_html, letter_section

    start = time.perf_counter()
    for unit in units:
        html = document_html([letter_section(unit, 0, "tall")], set(), link_stylesheet=True)
        HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=asset_fetcher()).write_pdf()
    return len(units) / (time.perf_counter() - start)


def batch(units: list[LetterUnit], workers: int) -> float:
    """Letters/s of the print batch (chunks on all cores, merged with pypdf)."""
    from app.letters.batch import write_batch

    with tempfile.TemporaryDirectory() as directory:
        # Warm-up, as for the naive loop: the worker pool lives as long as the process does.
        write_batch(units[:4], Path(directory), zip_letters=False, labels=False, workers=workers,
                    chunk_size=2)
        start = time.perf_counter()
        result = write_batch(units, Path(directory), zip_letters=False, labels=False, workers=workers)
        elapsed = time.perf_counter() - start
    assert result.letters == len(units)
    return len(units) / elapsed


def annex_seconds(names: int) -> float:
    from app.letters.service import unit_pdf

    unit = make_units(1, annex=names)[0]
    start = time.perf_counter()
    unit_pdf(unit)
    return time.perf_counter() - start


BODY = ("<p>{{ recipient.salutation }},</p>\n<p>We, {{ appeal.signatory_count }} signatories, ask you "
        "to release {% for p in appeal.people %}{{ p.name }}{% if not loop.last %}, {% endif %}"
        "{% endfor %}.</p>\n{% for d in appeal.demands %}<p>{{ d.number }}. {{ d.text }}</p>{% endfor %}")


def _best_ms(action, repeat: int = 200) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def body_overhead() -> dict[str, float]:
    """Per-render cost of the sandbox process (warm) against rendering in this process."""
    import dataclasses

    from app.letters.sandbox import compile_user_template, render_template_object
    from app.letters.sandbox_process import render_isolated, render_one
    from app.letters.service import unit_pdf

    units = [dataclasses.replace(u, body_source=BODY) for u in make_units(100)]
    context = units[0].template_context()
    render_one(BODY, context)  # starts the child
    template = compile_user_template(BODY)  # compiled once, as before the sandbox process
    in_process = _best_ms(lambda: render_template_object(template, context))
    isolated = _best_ms(lambda: render_one(BODY, context))
    jobs = [(BODY, u.template_context()) for u in units]
    hundred = _best_ms(lambda: render_isolated(jobs), repeat=20)
    unit_pdf(units[0])
    letter = _best_ms(lambda: unit_pdf(dataclasses.replace(units[0])), repeat=5)
    return {"body_in_process_ms": in_process, "body_isolated_ms": isolated,
            "body_isolation_overhead_ms": isolated - in_process,
            "body_isolated_100_in_one_call_ms": hundred, "letter_pdf_with_body_ms": letter}


def _tree_rss_kb(pid: int) -> int:
    """RSS of `pid` and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def peak_rss_mb(letters: int, workers: int) -> float:
    """Peak RSS (MB) of a fresh process tree writing a `letters`-letter batch (PDF, ZIP, labels)."""
    child = subprocess.Popen([sys.executable, __file__, "--child-batch", str(letters),
                              "--workers", str(workers)])
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss_kb(child.pid))
        time.sleep(0.05)
    if child.returncode:
        raise SystemExit(f"the {letters}-letter batch failed")
    return peak / 1024


def child_batch(letters: int, workers: int) -> None:
    from app.letters.batch import write_batch

    with tempfile.TemporaryDirectory() as directory:
        write_batch(make_units(letters), Path(directory), workers=workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs, under a minute")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--child-batch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_batch:
        child_batch(args.child_batch, args.workers)
        return
    naive_n, batch_n, rss_n = (20, 400, 1000) if args.quick else (60, 1000, 10000)
    load = os.getloadavg()[0]
    print(f"# {'quick' if args.quick else 'full'} run, {args.workers} workers, "
          f"load average {load:.2f}; batch of {batch_n}, RSS batch of {rss_n}", flush=True)
    units = make_units(max(naive_n, batch_n))
    naive(units[:3])  # warm-up: imports and font caches, for both sides
    # Best of three for both sides: other processes on a shared machine come and go.
    naive_rate = max(naive(units[:naive_n]) for _ in range(3))
    batch_rate = max(batch(units[:batch_n], args.workers) for _ in range(3))
    annex = min(annex_seconds(10_000) for _ in range(3))
    rss = peak_rss_mb(rss_n, args.workers)
    bodies = body_overhead()
    print(f"naive_letters_per_s: {naive_rate:.1f}")
    print(f"batch_letters_per_s: {batch_rate:.1f}")
    print(f"batch_vs_naive: {batch_rate / naive_rate:.2f}")
    print(f"annex_10000_s: {annex:.2f}")
    print(f"batch_10000_peak_rss_mb: {rss:.0f}")
    for name, value in bodies.items():
        print(f"{name}: {value:.2f}")


if __name__ == "__main__":
    main()
