"""Merge PDFs to a file with pypdf, one chunk at a time, in flat memory.

pypdf's PdfWriter keeps every object of the output until `write()`: for a 10,000-letter batch
that is ~24 kB of Python objects per letter. StreamingMerger instead copies each chunk's pages
into a throw-away PdfWriter whose object numbers continue where the file stopped (the numbers
below are padded with None), serialises those objects straight to the output file and forgets
them. Only one offset per object and the page numbers are kept; the page tree, catalogue, xref
table and trailer are written at the end.
"""

from __future__ import annotations

from pathlib import Path

PAGES_NUMBER = 1  # our /Pages node
CATALOG_NUMBER = 2


class StreamingMerger:
    """Append pages (and blank pages) from pypdf readers; `close()` finishes the file."""

    def __init__(self, path: Path | str) -> None:
        from pypdf import PdfWriter

        self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
        self._file.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        # A fresh PdfWriter owns the first few numbers; they stay free in our file except
        # for 1 (/Pages) and 2 (/Catalog), which we write at the end.
        self._reserved = len(PdfWriter()._objects)
        self._offsets: list[int | None] = [None] * self._reserved
        self._kids: list[int] = []

    @property
    def page_count(self) -> int:
        return len(self._kids)

    def append(self, entries: list) -> None:
        """Append `entries`: pypdf PageObjects, or (width, height) tuples for blank pages."""
        from pypdf import PdfWriter
        from pypdf.generic import IndirectObject, NameObject

        chunk = PdfWriter()
        first = len(self._offsets)
        chunk._objects.extend([None] * (first - len(chunk._objects)))
        pages = []
        for entry in entries:
            if isinstance(entry, tuple):
                pages.append(chunk.add_blank_page(width=entry[0], height=entry[1]))
            else:
                pages.append(chunk.add_page(entry))
        parent = IndirectObject(PAGES_NUMBER, 0, chunk)
        for page in pages:
            page[NameObject("/Parent")] = parent
            self._kids.append(page.indirect_reference.idnum)
        for number in range(first + 1, len(chunk._objects) + 1):
            obj = chunk._objects[number - 1]
            self._offsets.append(self._file.tell())
            self._file.write(f"{number} 0 obj\n".encode())
            obj.write_to_stream(self._file)
            self._file.write(b"\nendobj\n")

    def close(self) -> None:
        """Write the page tree, catalogue, xref table and trailer, and close the file."""
        handle = self._file
        kids = " ".join(f"{number} 0 R" for number in self._kids)
        self._offsets[PAGES_NUMBER - 1] = handle.tell()
        handle.write(f"{PAGES_NUMBER} 0 obj\n<< /Type /Pages /Count {len(self._kids)} "
                     f"/Kids [{kids}] >>\nendobj\n".encode())
        self._offsets[CATALOG_NUMBER - 1] = handle.tell()
        handle.write(f"{CATALOG_NUMBER} 0 obj\n<< /Type /Catalog /Pages {PAGES_NUMBER} 0 R >>\n"
                     "endobj\n".encode())
        xref = handle.tell()
        size = len(self._offsets) + 1
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines.extend("0000000000 65535 f \n" if offset is None else f"{offset:010d} 00000 n \n"
                     for offset in self._offsets)
        handle.write("".join(lines).encode())
        handle.write(f"trailer\n<< /Size {size} /Root {CATALOG_NUMBER} 0 R >>\n"
                     f"startxref\n{xref}\n%%EOF\n".encode())
        handle.close()

    def abort(self) -> None:
        self._file.close()
