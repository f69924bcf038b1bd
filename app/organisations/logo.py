"""A letterhead logo from an upload: decoded and re-encoded by Pillow, never stored as sent.

Re-encoding drops every piece of metadata (EXIF with GPS positions, camera serials, XMP,
comments), turns the picture upright, bounds its size and always gives a PNG small enough to
travel into a letter as a `data:` URL (app/letters/fetcher.py refuses larger ones).
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from app.images import UnreadableImage, open_upload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
BOX = (600, 200)  # the largest logo kept, in pixels (about 50 x 17 mm at 300 dpi)
MAX_PNG_BYTES = 60 * 1024


class LogoError(ValueError):
    """Why an upload cannot be a logo, in words for the person who sent it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "large", "not_image", "too_many_pixels", "too_detailed"


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_UPLOAD_BYTES:
        raise LogoError("large")
    try:
        image = open_upload(data)
    except UnreadableImage as error:
        raise LogoError(error.reason) from None
    return image


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)  # no `pnginfo`, no `exif`: nothing carried over
    return out.getvalue()


def normalise_logo(data: bytes) -> bytes:
    """A clean PNG of at most BOX pixels and MAX_PNG_BYTES; raises LogoError."""
    image = ImageOps.exif_transpose(_open(data))
    image = image.convert("RGBA")
    image.thumbnail(BOX, Image.Resampling.LANCZOS)
    png = _png(image)
    if len(png) > MAX_PNG_BYTES:
        # A photograph rather than a logo: 256 colours keep it sharp enough on paper.
        png = _png(image.quantize(colors=256, method=Image.Quantize.FASTOCTREE))
    if len(png) > MAX_PNG_BYTES:
        raise LogoError("too_detailed")
    return png
