"""Opening an uploaded picture safely, for every area that re-encodes one (appeal photos,
organisation logos): a format we accept, a bounded number of pixels (a decompression bomb is
refused before it is decoded), and Pillow's own check of the file before the full decode."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF"})
MAX_SOURCE_PIXELS = 40_000_000  # an 8000 x 5000 picture


class UnreadableImage(ValueError):
    """The upload cannot be taken as a picture; `reason` is "not_image" or "too_many_pixels"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def open_upload(data: bytes) -> Image.Image:
    """The decoded picture in `data`; raises UnreadableImage. Its metadata is still attached:
    callers re-encode it into a new file that carries none."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise UnreadableImage("not_image")
                if probe.width * probe.height > MAX_SOURCE_PIXELS:
                    raise UnreadableImage("too_many_pixels")
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except UnreadableImage:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise UnreadableImage("not_image") from None
    return image
