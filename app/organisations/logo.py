"""A letterhead logo from an upload: decoded and re-encoded by Pillow, never stored as sent.

Re-encoding drops every piece of metadata (EXIF with GPS positions, camera serials, XMP,
comments), turns the picture upright, bounds its size and always gives a PNG small enough to
travel into a letter as a `data:` URL (app/letters/fetcher.py refuses larger ones).
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_SOURCE_PIXELS = 40_000_000  # a 8000 x 5000 picture; beyond, a decompression bomb
BOX = (600, 200)  # the largest logo kept, in pixels (about 50 x 17 mm at 300 dpi)
MAX_PNG_BYTES = 60 * 1024
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


class LogoError(ValueError):
    """Why an upload cannot be a logo, in words for the person who sent it."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "large", "not_image", "too_many_pixels", "too_detailed"


def _open(data: bytes) -> Image.Image:
    if len(data) > MAX_UPLOAD_BYTES:
        raise LogoError("large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED_FORMATS:
                raise LogoError("not_image")
            if probe.width * probe.height > MAX_SOURCE_PIXELS:
                raise LogoError("too_many_pixels")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        if isinstance(error, LogoError):
            raise
        raise LogoError("not_image") from None
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
