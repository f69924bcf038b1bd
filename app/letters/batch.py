"""The print batch: letters rendered in chunks (one WeasyPrint document per chunk, chunks on
all cores in a process pool), each chunk written to disk, then merged with pypdf.

The merged PDF is duplex-ready: every letter and every fax cover starts on a new sheet (a blank
page follows any part with an odd page count). Also writes a ZIP with one PDF per letter and a
CSV of address labels. Peak memory stays flat: no more than one chunk per worker is ever held.
"""

from __future__ import annotations

import atexit
import csv
import io
import multiprocessing
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from app.letters.views import LetterUnit

DEFAULT_CHUNK_SIZE = int(os.environ.get("LETTERS_CHUNK_SIZE", 100))
DEFAULT_WORKERS = int(os.environ.get("LETTERS_WORKERS", 0)) or (os.cpu_count() or 1)


@dataclass
class BatchResult:
    pdf_path: Path
    zip_path: Path | None
    labels_path: Path | None
    letters: int
    pages: int  # in the merged PDF, blank backs included
    fax_covers: int
    letter_pages: list[int] = field(default_factory=list)  # per letter, in batch order


@dataclass
class ChunkResult:
    index: int
    path: str
    page_counts: list[int]
    kinds: list[str]
    owners: list[int]


def render_chunk(index: int, units: list[LetterUnit], directory: str) -> ChunkResult:
    """Render one chunk into <directory>/chunk-<index>.pdf (runs in a worker process)."""
    from app.letters.formletters import render_chunk_pdf

    rendered = render_chunk_pdf(units)
    path = os.path.join(directory, f"chunk-{index:06d}.pdf")
    with open(path, "wb") as handle:
        handle.write(rendered.pdf)
    return ChunkResult(index, path, rendered.page_counts, rendered.kinds, rendered.owners)


def _chunks(units: list[LetterUnit], size: int) -> list[list[LetterUnit]]:
    return [units[start:start + size] for start in range(0, len(units), size)]


def render_chunks(units: list[LetterUnit], directory: str, *, workers: int, chunk_size: int,
                  progress: Callable[[int], None] | None = None):
    """Yield ChunkResults in order; several chunks render at once on `workers` processes."""
    chunks = _chunks(units, chunk_size)
    if workers <= 1 or len(chunks) <= 1:
        for index, chunk in enumerate(chunks):
            result = render_chunk(index, chunk, directory)
            if progress:
                progress(len(chunk))
            yield result
        return
    pool = _executor(workers)
    window = workers * 2  # bounded queue: chunks wait as records, never as PDFs in memory
    futures = {}
    next_index = 0
    try:
        for wanted in range(len(chunks)):
            while next_index < len(chunks) and next_index < wanted + window:
                futures[next_index] = pool.submit(render_chunk, next_index, chunks[next_index],
                                                  directory)
                next_index += 1
            result = futures.pop(wanted).result()
            if progress:
                progress(len(chunks[wanted]))
            yield result
    except BrokenProcessPool:
        _shutdown_executor()
        raise
    finally:
        for future in futures.values():
            future.cancel()


_pool: ProcessPoolExecutor | None = None
_pool_workers = 0


def _executor(workers: int) -> ProcessPoolExecutor:
    """The worker pool, kept for the life of the process so later batches start at once
    (`spawn`: workers share no database connection or thread with the web process)."""
    global _pool, _pool_workers
    if _pool is None or _pool_workers != workers:
        _shutdown_executor()
        _pool = ProcessPoolExecutor(max_workers=workers,
                                    mp_context=multiprocessing.get_context("spawn"))
        _pool_workers = workers
    return _pool


def _shutdown_executor() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


atexit.register(_shutdown_executor)


def write_batch(units: list[LetterUnit], out_dir: Path, *, stem: str = "letters", labels: bool = True,
                zip_letters: bool = True, progress: Callable[[int], None] | None = None,
                workers: int | None = None, chunk_size: int | None = None) -> BatchResult:
    """Render `units` into out_dir/<stem>.pdf (+ .zip and -labels.csv); see the module doc."""
    from pypdf import PdfReader

    from app.letters.pdfmerge import StreamingMerger
    from app.letters.render import prepare_bodies

    # Every coordinator body of the batch in one isolated call; workers get them rendered.
    prepare_bodies(units)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".chunks-", dir=out_dir)
    pdf_path = out_dir / f"{stem}.pdf"
    zip_path = out_dir / f"{stem}.zip" if zip_letters else None
    workers = workers or DEFAULT_WORKERS
    # At least four chunks per worker when the batch is small, so no core waits at the end.
    size = chunk_size or max(25, min(DEFAULT_CHUNK_SIZE, -(-len(units) // (workers * 4))))
    merged = StreamingMerger(pdf_path)
    letter_pages: list[int] = []
    covers = 0
    used_names: set[str] = set()
    archive = zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) if zip_path else None
    try:
        for chunk in render_chunks(units, work, workers=workers, chunk_size=size,
                                   progress=progress):
            reader = PdfReader(chunk.path)
            entries: list = []
            position = 0
            for count, kind, owner in zip(chunk.page_counts, chunk.kinds, chunk.owners, strict=True):
                pages = reader.pages[position:position + count]
                position += count
                entries.extend(pages)
                if count % 2:  # duplex: the next letter starts on a new sheet
                    entries.append((pages[0].mediabox.width, pages[0].mediabox.height))
                if kind == "cover":
                    covers += 1
                    continue
                letter_pages.append(count)
                if archive is not None:
                    unit = units[chunk.index * size + owner]
                    archive.writestr(_unique(unit.recipient.slug, used_names) + ".pdf",
                                     _pages_pdf(pages))
            merged.append(entries)
            del reader, entries
            os.unlink(chunk.path)
        merged.close()
        total_pages = merged.page_count
    except BaseException:
        merged.abort()
        if archive is not None:
            archive.close()
            archive = None
        for partial in (pdf_path, zip_path):
            if partial is not None:
                partial.unlink(missing_ok=True)
        raise
    finally:
        if archive is not None:
            archive.close()
        shutil.rmtree(work, ignore_errors=True)
    labels_path = write_labels(units, out_dir / f"{stem}-labels.csv") if labels else None
    return BatchResult(pdf_path=pdf_path, zip_path=zip_path, labels_path=labels_path,
                       letters=len(letter_pages), pages=total_pages, fax_covers=covers,
                       letter_pages=letter_pages)


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate in used:
        candidate, number = f"{name}-{number}", number + 1
    used.add(candidate)
    return candidate


def _pages_pdf(pages) -> bytes:  # noqa: ANN001
    from pypdf import PdfWriter

    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


LABEL_COLUMNS = ("recipient", "name", "post", "organisation", "line_1", "line_2", "line_3",
                 "line_4", "line_5", "line_6", "channel", "fax")


def write_labels(units: list[LetterUnit], path: Path) -> Path:
    """Address labels as CSV (UTF-8 with BOM for spreadsheets; formula cells neutralised)."""
    from app.text import spreadsheet_safe

    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(LABEL_COLUMNS)
        for unit in units:
            r = unit.recipient
            address = list(r.address_lines[3:])[:6]
            address += [""] * (6 - len(address))
            row = [r.slug, r.name, r.post_label, r.organisation, *address, r.channel, r.fax or ""]
            writer.writerow([spreadsheet_safe(" ".join(str(v).split())) for v in row])
    return path
