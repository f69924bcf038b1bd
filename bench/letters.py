"""Letters: the print batch of a realistic appeal against the same letters in a naive loop.

    python bench/letters.py [--repeat N | --quick]

A realistic batch is one letter per recipient of an appeal with 20 recipients and a 1,000-name
annex (the office's real workload; no workflow makes 10,000-letter batches). Both sides render
the same letters in one run, best of N. Then the demo appeals are loaded into a throw-away
SQLite database and every letter to every recipient is rendered, to count the pages of the
letter itself (target 1; the annex of sources and signatories follows on further pages).
Prints, last, exactly these lines:
    naive_ms_per_letter: N
    batch_ms_per_letter: N
    batch_vs_naive: N
    pages_per_letter: N          (the letter itself, mean over the demo letters)
    pages_per_letter_max: N
    pages_with_annex_per_letter: N
    body_in_process_ms: N           (a compiled coordinator body rendered here, the baseline)
    body_isolated_ms: N             (the same through the sandbox process, as the app does it)
    body_isolation_overhead_ms: N
    body_isolated_100_in_one_call_ms: N
    letter_pdf_with_body_ms: N      (for scale: one whole letter with that body)
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench")

RECIPIENTS = 20
ANNEX_NAMES = 1000
COUNTRIES = ("Germany", "Kazakhstan", "France", "Poland", "Norway", "Canada")
CITIES = ("Berlin", "Алматы", "Paris", "Kraków", "Oslo", "Toronto")


def make_units() -> list:
    """One joint letter per recipient of a 20-recipient appeal with a 1,000-name annex."""
    from app.letters.views import (
        AppealView,
        ChargeGroup,
        DemandView,
        HolderView,
        LetterUnit,
        OrganisationView,
        PersonView,
        PostView,
        RecipientView,
        SignatoryView,
    )

    charge = "Article 130 of the Criminal Code of the Republic of Kazakhstan (defamation)"
    appeal = AppealView(
        slug="bench", title="Free Amangeldy Batyrbekov", subject="Release Amangeldy Batyrbekov",
        summary="Journalist and editor Amangeldy Batyrbekov was sentenced to 27 months for "
                "Facebook posts about alleged corruption.", reference="BENCH",
        court="Saryagash district court",
        people=(PersonView("Amangeldy Batyrbekov", "journalist", "imprisoned"),),
        charges=(charge,), charge_groups=(ChargeGroup("Amangeldy Batyrbekov", (charge,)),),
        demands=tuple(DemandView(n, f"Official {n}", f"Demand number {n}: review the case.",
                                 f"post-{n:02d}") for n in range(RECIPIENTS)),
        signatory_count=ANNEX_NAMES + 234)
    organisation = OrganisationView("Adil Soz", ("Abay Ave 1", "Almaty 050000"),
                                    "https://adilsoz.example")
    signatories = tuple(SignatoryView(f"Supporter {n:05d} Surname", CITIES[n % 6], "XX",
                                      COUNTRIES[n % 6]) for n in range(ANNEX_NAMES))
    units = []
    for n in range(RECIPIENTS):
        name = f"Official Number {n:02d}"
        recipient = RecipientView(
            slug=f"post-{n:02d}", name=name, post_label="Prosecutor of the region",
            organisation="Prosecutor's Office", salutation="Dear Prosecutor", language="en",
            address_lines=(name, "Prosecutor of the region", "Prosecutor's Office",
                           f"Street {n + 1}", "010000 ASTANA", "KAZAKHSTAN"), heading_count=3)
        units.append(LetterUnit(
            language="en", appeal=appeal, recipient=recipient,
            post=PostView(recipient.slug, recipient.post_label, recipient.organisation,
                          recipient.salutation),
            holder=HolderView(name), organisation=organisation, date=date(2019, 11, 1),
            signatories=signatories, with_annex=True, extra={"authority": True}))
    return units


def naive_ms(units: list) -> float:
    """ms per letter of a plain loop: one HTML(string=...).write_pdf() per letter, no sharing."""
    from weasyprint import HTML

    from app.letters.fetcher import ASSET_BASE_URL, asset_fetcher
    from app.letters.render import document_html, letter_section

    start = time.perf_counter()
    for unit in units:
        html = document_html([letter_section(unit, 0, "tall")], link_stylesheet=True)
        HTML(string=html, base_url=ASSET_BASE_URL, url_fetcher=asset_fetcher()).write_pdf()
    return (time.perf_counter() - start) * 1000 / len(units)


def batch_ms(units: list) -> float:
    """ms per letter of the office's print batch (merged PDF, ZIP and labels)."""
    from app.letters.batch import write_batch

    with tempfile.TemporaryDirectory() as directory:
        start = time.perf_counter()
        result = write_batch(units, Path(directory), stem="bench")
        elapsed = time.perf_counter() - start
    assert result.letters == len(units)
    return elapsed * 1000 / len(units)


def demo_pages() -> tuple[list[int], list[int]]:
    """(pages of the letter itself, pages with the annex) of every demo letter."""
    from pypdf import PdfReader
    from sqlalchemy import select

    from app import create_app
    from app.config import TestConfig
    from app.extensions import db
    from app.letters.frame import frame_strings
    from app.letters.service import letter_unit, unit_pdf
    from app.models import Appeal

    own, whole = [], []
    with tempfile.TemporaryDirectory() as directory:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{directory}/bench.db",
                         INSTANCE_DIR=directory, UPLOAD_DIR=f"{directory}/uploads")
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
            app.test_cli_runner().invoke(args=["demo"])
            for appeal in db.session.scalars(select(Appeal)):
                for link in appeal.recipients:
                    unit = letter_unit(appeal, link.post)
                    pages = [p.extract_text() or "" for p in
                             PdfReader(io.BytesIO(unit_pdf(unit))).pages]
                    # A letter to an office closes "Yours faithfully": looking for "sincerely"
                    # there would count its annex pages as the letter's own.
                    closing = frame_strings(unit.language)[
                        "closing_office" if unit.recipient.to_office else "closing"].rstrip(",")
                    own.append(next((i + 1 for i, text in enumerate(pages) if closing in text),
                                    len(pages)))
                    whole.append(len(pages))
    return own, whole


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

    from app.letters.service import unit_pdf
    from app.template_sandbox.environment import compile_user_template, render_template_object
    from app.template_sandbox.process import render_isolated, render_one

    units = [dataclasses.replace(u, body_source=BODY) for u in (make_units() * 5)[:100]]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--quick", action="store_true", help="one run (what `make bench` asks)")
    args = parser.parse_args()
    if args.quick:
        args.repeat = 1
    print(f"# {RECIPIENTS} recipients, {ANNEX_NAMES}-name annex, best of {args.repeat}, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    units = make_units()
    naive_ms(units[:2])  # warm-up: imports and font caches, for both sides
    naive = min(naive_ms(units) for _ in range(args.repeat))
    batch = min(batch_ms(units) for _ in range(args.repeat))
    own, whole = demo_pages()
    print(f"naive_ms_per_letter: {naive:.0f}")
    print(f"batch_ms_per_letter: {batch:.0f}")
    print(f"batch_vs_naive: {naive / batch:.2f}")
    print(f"pages_per_letter: {sum(own) / len(own):.2f}")
    print(f"pages_per_letter_max: {max(own)}")
    print(f"pages_with_annex_per_letter: {sum(whole) / len(whole):.2f}")
    for name, value in body_overhead().items():  # the cost of rendering bodies in the sandbox process
        print(f"{name}: {value:.2f}")


if __name__ == "__main__":
    main()
