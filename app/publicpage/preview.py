"""The link-preview image (Open Graph / Twitter Card): photo, title and count, 1200x630 PNG.

Made on this server with Pillow and the DejaVu fonts bundled for the letters (Latin, Cyrillic
and Kazakh letters; nothing is fetched at run time). Kept on disk per appeal, language and
content; a new count is drawn at most every PREVIEW_REFRESH_S seconds, so a link going viral
costs one drawing per interval, not one per crawler.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app
from PIL import Image, ImageDraw, ImageFont, ImageOps

from app.config import PROJECT_ROOT

SIZE = (1200, 630)
PHOTO_WIDTH = 470
FONTS = PROJECT_ROOT / "letter_templates" / "fonts"
INK, PAPER, ACCENT, MUTED = (29, 29, 31), (251, 250, 248), (138, 28, 28), (80, 80, 90)


@dataclass(frozen=True)
class PreviewContent:
    appeal_id: int
    language: str
    title: str
    count_line: str
    count: int
    site_name: str
    photo_path: Path | None


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int,
          max_lines: int) -> list[str]:
    """Greedy word wrap to `width` pixels; the last kept line ends with … when text is cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def render_preview(content: PreviewContent) -> bytes:
    """The PNG bytes of the preview card."""
    card = Image.new("RGB", SIZE, PAPER)
    left = 64
    if content.photo_path is not None and content.photo_path.exists():
        with Image.open(content.photo_path) as photo:
            card.paste(ImageOps.fit(photo.convert("RGB"), (PHOTO_WIDTH, SIZE[1])), (0, 0))
        left = PHOTO_WIDTH + 56
    draw = ImageDraw.Draw(card)
    draw.rectangle((left, 64, left + 96, 72), fill=ACCENT)
    title_font = _font(True, 54 if len(content.title) < 70 else 44)
    y = 104
    for line in _wrap(draw, content.title, title_font, SIZE[0] - left - 64, 5):
        draw.text((left, y), line, font=title_font, fill=INK)
        y += int(title_font.size * 1.22)
    draw.text((left, max(y + 28, 440)), content.count_line, font=_font(True, 40), fill=ACCENT)
    footer_font = _font(False, 28)
    footer = _wrap(draw, content.site_name, footer_font, SIZE[0] - left - 64, 1)[0]
    draw.text((left, SIZE[1] - 80), footer, font=footer_font, fill=MUTED)
    out = io.BytesIO()
    card.save(out, "PNG", optimize=True)
    return out.getvalue()


def _cache_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "previews"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stem(content: PreviewContent) -> str:
    what = "\x00".join([content.title, content.site_name, str(content.photo_path or "")])
    return f"{content.appeal_id}-{content.language}-{hashlib.sha256(what.encode()).hexdigest()[:16]}"


def preview_png(content: PreviewContent) -> bytes:
    """The cached card, or a new one when the count changed and the cached one is old enough."""
    directory, stem = _cache_dir(), _stem(content)
    wanted = directory / f"{stem}-{content.count}.png"
    refresh_s = current_app.config["PREVIEW_REFRESH_S"]
    cached = sorted(directory.glob(f"{stem}-*.png"), key=lambda p: p.stat().st_mtime)
    if wanted.exists():
        return wanted.read_bytes()
    if cached and time.time() - cached[-1].stat().st_mtime < refresh_s:
        return cached[-1].read_bytes()
    data = render_preview(content)
    partial = directory / f".{stem}-{os.getpid()}.tmp"
    partial.write_bytes(data)
    partial.replace(wanted)  # atomic: a concurrent reader sees the old card or the new one
    for old in directory.glob(f"{content.appeal_id}-{content.language}-*.png"):
        if old != wanted:  # older counts, and cards of an earlier title or photo
            old.unlink(missing_ok=True)
    return data
