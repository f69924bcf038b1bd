"""The print batch for the office: what a person needs to print, fax and post an appeal's letters.

Kept because the office uses each part (docs/letters.md):
- one PDF, duplex-ready: every letter and fax cover starts on a new sheet (a blank page after
  any part with an odd page count), a fax cover before each letter staff fax by hand, and each
  page of a faxed letter on a sheet of its own (a fax machine feeds one side: a page printed on
  the back of another would never reach the recipient);
- a ZIP with one PDF per letter (for e-mailing a single letter or re-printing one);
- a CSV of address labels, for postal letters only.

Letters are typeset one by one in this process and appended with pypdf's public API; an appeal
writes to a few dozen posts, so there is no chunking, no process pool and no form letter.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from app.letters.views import LetterUnit


@dataclass
class BatchResult:
    pdf_path: Path
    zip_path: Path | None
    labels_path: Path | None
    letters: int
    pages: int  # in the merged PDF, blank backs included
    fax_covers: int
    letter_pages: list[int] = field(default_factory=list)  # per letter, in batch order
    summary: object | None = None  # RouteSummary: what went where, what was skipped and why


def _unit_parts(unit: LetterUnit) -> tuple[list, list]:
    """The fax cover's pages (none unless faxed) and the letter's pages."""
    from app.letters.render import unit_pdf_parts

    cover, letter = unit_pdf_parts(unit)
    cover_pages = list(PdfReader(io.BytesIO(cover)).pages) if cover else []
    return cover_pages, list(PdfReader(io.BytesIO(letter)).pages)


def write_batch(units: list[LetterUnit], out_dir: Path, *, stem: str = "letters",
                labels: bool = True, zip_letters: bool = True,
                progress: Callable[[int], None] | None = None) -> BatchResult:
    """Render `units` into out_dir/<stem>.pdf (+ .zip and -labels.csv); see the module doc."""
    from app.letters.render import prepare_bodies

    # Every coordinator body of the batch in one isolated call (hard limits), not one per letter.
    prepare_bodies(units)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{stem}.pdf"
    zip_path = out_dir / f"{stem}.zip" if zip_letters else None
    merged, letter_pages, covers, used = PdfWriter(), [], 0, set()
    archive = zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) if zip_path else None
    try:
        for unit in units:
            cover, pages = _unit_parts(unit)
            if cover:  # a fax machine reads one side of each sheet: every faxed page gets its own
                for page in [*cover, *pages]:
                    _append_duplex(merged, [page])
            else:
                _append_duplex(merged, pages)
            covers += 1 if cover else 0
            letter_pages.append(len(pages))
            if archive is not None:
                archive.writestr(_unique(unit.recipient.slug, used) + ".pdf", _pages_pdf(pages))
            if progress:
                progress(1)
        merged.write(pdf_path)
    except BaseException:
        for partial in (pdf_path, zip_path):
            if partial is not None:
                partial.unlink(missing_ok=True)
        raise
    finally:
        if archive is not None:
            archive.close()
    labels_path = write_labels(units, out_dir / f"{stem}-labels.csv") if labels else None
    return BatchResult(pdf_path=pdf_path, zip_path=zip_path, labels_path=labels_path,
                       letters=len(letter_pages), pages=len(merged.pages), fax_covers=covers,
                       letter_pages=letter_pages)


def _append_duplex(writer: PdfWriter, pages: list) -> None:
    """Append `pages`, then a blank back when their count is odd (the next part starts a sheet)."""
    for page in pages:
        writer.add_page(page)
    if len(pages) % 2:
        box = pages[0].mediabox
        writer.add_blank_page(width=box.width, height=box.height)


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate, number = f"{name}-{number}", number + 1
    used.add(candidate)
    return candidate


def _pages_pdf(pages: list) -> bytes:
    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


LABEL_COLUMNS = ("recipient", "name", "post", "organisation", "line_1", "line_2", "line_3",
                 "line_4", "line_5", "line_6", "channel")


def write_labels(units: list[LetterUnit], path: Path) -> Path:
    """Address labels of the postal letters as CSV (UTF-8 with BOM for spreadsheets; formula
    cells neutralised). Faxed letters have no label."""
    from app.text import spreadsheet_safe

    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(LABEL_COLUMNS)
        for unit in units:
            r = unit.recipient
            if r.channel != "post":
                continue
            address = list(r.address_lines[r.heading_count:])[:6]
            address += [""] * (6 - len(address))
            # A Russian envelope reads like the letter's address block: dative where it is.
            name = "" if r.to_office else (r.name_dative if r.dative else r.name)
            post = r.post_label_dative if r.dative else r.post_label
            # The organisation as the letter's address block has it (none where it is left out).
            organisation = r.organisation if r.organisation in r.address_lines[:r.heading_count] \
                else ""
            row = [r.slug, name, post, organisation, *address, r.channel]
            writer.writerow([spreadsheet_safe(" ".join(str(v).split())) for v in row])
    return path
