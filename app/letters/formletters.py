"""Form letters: many letters that differ only in the address block are laid out once.

In a batch chunk, letters whose HTML is identical once the recipient's address lines are left
out (same body, salutation, date, annex…) form a group. The group's letter is laid out ONCE
with an empty address field; the address blocks of all its letters are laid out together in a
second, small document (one page each, at the same position), and each letter's first page is
composed with pypdf from the shared page content plus its address as a Form XObject. Pages
share content streams and fonts, so the PDF is small too. Groups smaller than FORM_MIN_GROUP
and everything else are laid out in full, as in render.render_units.
"""

from __future__ import annotations

import dataclasses
import io
from collections import defaultdict

from markupsafe import Markup

from app.letters.render import (
    RenderedChunk,
    cover_section,
    document_html,
    letter_section,
    prepare_bodies,
    render_document,
    render_units,
    unit_page_counts,
    write_pdf,
)
from app.letters.views import LetterUnit

FORM_MIN_GROUP = 3
OVERLAY_NAME = "/LetterAddress"


@dataclasses.dataclass
class ChunkPages:
    pdf: bytes
    page_counts: list[int]  # per section, in order (cover and letter sections)
    kinds: list[str]
    owners: list[int]


# Empty address lines that keep the address size (and so the return line's place) of a letter.
_PLACEHOLDER_LINES = {"normal": (), "small": ("",) * 7, "tiny": ("",) * 11}


def _template_unit(unit: LetterUnit) -> LetterUnit:
    placeholder = _PLACEHOLDER_LINES[unit.recipient.address_size]
    return dataclasses.replace(
        unit, recipient=dataclasses.replace(unit.recipient, address_lines=placeholder),
        fax_cover=False)


def group_form_letters(units: list[LetterUnit]) -> dict[str, list[int]]:
    """Positions of letters that share everything but the address, by shared HTML."""
    groups: dict[str, list[int]] = defaultdict(list)
    for position, unit in enumerate(units):
        groups[letter_section(_template_unit(unit), 0, "t0")].append(position)
    return {key: members for key, members in groups.items() if len(members) >= FORM_MIN_GROUP}


def _address_section(unit: LetterUnit, index: int) -> str:
    return Markup('<section class="letter address-overlay {}" id="u-{}"><p class="address">{}</p>'
                  '</section>').format(unit.recipient.address_size, index,
                                       "\n".join(unit.recipient.address_lines))


def render_chunk_pdf(units: list[LetterUnit]) -> ChunkPages:
    """PDF of `units` in order (fax covers included), form letters composed as described above."""
    prepare_bodies(units)
    groups = group_form_letters(units)
    if not groups:
        return _from_rendered(render_units(units))
    from pypdf import PdfReader, PdfWriter

    group_of = {position: key for key, members in groups.items() for position in members}
    normal = [unit for position, unit in enumerate(units) if position not in group_of]
    normal_pages = _sections(render_units(normal)) if normal else []
    templates = {}
    for key, members in groups.items():
        rendered = render_units([_template_unit(units[members[0]])])
        templates[key] = PdfReader(io.BytesIO(write_pdf(rendered.document)))
    overlay_sections, overlay_kinds = [], []
    for position, unit in enumerate(units):
        if position not in group_of:
            continue
        if unit.fax_cover:
            pages = len(templates[group_of[position]].pages) + 1
            overlay_sections.append(cover_section(unit, len(overlay_sections), pages))
            overlay_kinds.append("cover")
        overlay_sections.append(_address_section(unit, len(overlay_sections)))
        overlay_kinds.append("address")
    overlay_document = render_document(document_html(overlay_sections, set(), link_stylesheet=False))
    if unit_page_counts(overlay_document, len(overlay_sections)) != [1] * len(overlay_sections):
        return _from_rendered(render_units(units))  # an address too long for its field: no shortcut
    overlay = PdfReader(io.BytesIO(write_pdf(overlay_document)))

    writer = PdfWriter()
    shared = {key: _SharedPages(writer, reader) for key, reader in templates.items()}
    result = ChunkPages(b"", [], [], [])
    normal_iter = iter(normal_pages)
    overlay_index = 0
    for position, unit in enumerate(units):
        if position not in group_of:
            for kind, pages in next(normal_iter):
                _add(result, writer, pages, kind, position)
            continue
        if unit.fax_cover:
            _add(result, writer, [overlay.pages[overlay_index]], "cover", position)
            overlay_index += 1
        shared[group_of[position]].add_letter(overlay.pages[overlay_index])
        overlay_index += 1
        result.page_counts.append(len(templates[group_of[position]].pages))
        result.kinds.append("letter")
        result.owners.append(position)
    buffer = io.BytesIO()
    writer.write(buffer)
    result.pdf = buffer.getvalue()
    return result


def _add(result: ChunkPages, writer, pages, kind: str, owner: int) -> None:  # noqa: ANN001
    for page in pages:
        writer.add_page(page)
    result.page_counts.append(len(pages))
    result.kinds.append(kind)
    result.owners.append(owner)


def _sections(rendered: RenderedChunk) -> list[list[tuple[str, list]]]:
    """Pages of a rendered chunk grouped per unit: [[(kind, pages), …], …]."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(write_pdf(rendered.document)))
    per_unit: list[list[tuple[str, list]]] = []
    position = 0
    for count, kind, owner in zip(rendered.page_counts, rendered.kinds, rendered.owners, strict=True):
        while len(per_unit) <= owner:
            per_unit.append([])
        per_unit[owner].append((kind, reader.pages[position:position + count]))
        position += count
    return per_unit


def _from_rendered(rendered: RenderedChunk) -> ChunkPages:
    return ChunkPages(write_pdf(rendered.document), rendered.page_counts, rendered.kinds,
                      rendered.owners)


class _SharedPages:
    """A template letter's pages, copied once into `writer`, reused by every letter of a group."""

    def __init__(self, writer, reader) -> None:  # noqa: ANN001
        self.writer = writer
        self.pages = []
        for page in reader.pages:
            self.pages.append({
                "resources": page.raw_get("/Resources").clone(writer),
                "contents": page.raw_get("/Contents").clone(writer),
                "width": page.mediabox.width, "height": page.mediabox.height,
            })
        self._open = self._stream(b"q")
        self._close = self._stream(b"Q q " + OVERLAY_NAME.encode() + b" Do Q")

    def _stream(self, data: bytes):  # noqa: ANN202
        from pypdf.generic import DecodedStreamObject

        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.writer._add_object(stream)

    def add_letter(self, address_page) -> None:  # noqa: ANN001
        """Append one letter: page 1 with `address_page` drawn over it, then the shared pages."""
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        form = self._form(address_page)
        for number, shared in enumerate(self.pages):
            page = self.writer.add_blank_page(width=shared["width"], height=shared["height"])
            if number == 0:
                resources = DictionaryObject(shared["resources"].get_object())
                xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()))
                xobjects[NameObject(OVERLAY_NAME)] = form
                resources[NameObject("/XObject")] = xobjects
                page[NameObject("/Resources")] = resources
                page[NameObject("/Contents")] = ArrayObject([self._open, shared["contents"],
                                                             self._close])
            else:
                page[NameObject("/Resources")] = shared["resources"]
                page[NameObject("/Contents")] = shared["contents"]

    def _form(self, address_page):  # noqa: ANN001, ANN202
        from pypdf.generic import DecodedStreamObject, NameObject

        form = DecodedStreamObject()
        form.set_data(address_page.get_contents().get_data())
        form.update({
            NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): address_page.mediabox,
            NameObject("/Resources"): address_page.raw_get("/Resources").clone(self.writer),
        })
        return self.writer._add_object(form.flate_encode())
