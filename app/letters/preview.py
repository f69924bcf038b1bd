"""A small PNG of a letter's first page with the envelope window outlined, made on the server.

poppler's pdftoppm (already needed by the test suite) rasterises the page and Pillow draws the
window, so a coordinator sees what the envelope will show before printing. Pictures are cached
on disk under INSTANCE_DIR/letter-previews, keyed by everything the letter is made of (the
letter record and the layout files), so a changed directory entry or template gives a new one.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from app.letters.render import letter_document, write_pdf
from app.letters.views import LetterUnit
from app.template_sandbox.environment import TEMPLATE_ROOT

RESOLUTION_DPI = 40
MM = RESOLUTION_DPI / 25.4  # pixels per millimetre
# DIN 5008 form B address field: 20 mm from the left, 45 mm from the top, 85 x 45 mm.
WINDOW_MM = (20, 45, 105, 90)
OUTLINE = (200, 0, 0)


class PreviewError(RuntimeError):
    """pdftoppm is missing or failed: the page shows the letter without a picture."""


def _layout_stamp() -> str:
    """Changes whenever a layout, body, stylesheet or font file changes."""
    files = sorted(p for p in TEMPLATE_ROOT.rglob("*") if p.is_file())
    return ";".join(f"{p.name}:{p.stat().st_mtime_ns}" for p in files)


def preview_key(unit: LetterUnit) -> str:
    return hashlib.sha256(f"{unit!r}|{_layout_stamp()}".encode()).hexdigest()[:32]


def first_page_png(pdf: bytes, dpi: int = RESOLUTION_DPI) -> bytes:
    """The first page of `pdf` as PNG bytes (pdftoppm)."""
    with tempfile.TemporaryDirectory(prefix="preview-") as work:
        root = Path(work) / "page"
        try:
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1",
                            "-singlefile", "-", str(root)], input=pdf, check=True,
                           capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as error:
            raise PreviewError(f"pdftoppm could not make the preview: {error}") from None
        return root.with_suffix(".png").read_bytes()


def outline_window(png: bytes) -> bytes:
    """`png` with the envelope window drawn on it."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    left, top, right, bottom = (round(v * MM) for v in WINDOW_MM)
    ImageDraw.Draw(image).rectangle((left, top, right, bottom), outline=OUTLINE, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def letter_preview(unit: LetterUnit, cache_dir: Path) -> bytes:
    """The preview PNG of `unit`, from the cache when nothing it is made of has changed."""
    path = cache_dir / f"{preview_key(unit)}.png"
    if path.exists():
        return path.read_bytes()
    png = outline_window(first_page_png(write_pdf(letter_document(unit))))
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_bytes(png)
    partial.replace(path)  # atomic: a concurrent request never reads half a file
    return png
