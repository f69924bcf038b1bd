"""The photo of an appeal: re-encoded by Pillow so that nothing of the uploaded file survives
(EXIF with GPS position, camera serial numbers, ICC, comments), resized, stored under a random name."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps

from app.extensions import db
from app.images import UnreadableImage, open_upload
from app.models import Appeal, AppealPhoto, utcnow

MAX_SIDE = 1200
JPEG_QUALITY = 85


class NotAnImage(ValueError):
    """The upload is not a photo Pillow can read in an accepted format."""


@dataclass(frozen=True)
class CleanPhoto:
    """A re-encoded photo, ready to store."""

    jpeg: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PublicPageInput:
    """What the coordinator's "Public page" form sets; `photo` is None when none was uploaded."""

    photo: CleanPhoto | None
    alt: str
    credit: str | None
    pitch: str | None
    goal: int | None


def photo_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "photos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clean_photo(raw: bytes) -> CleanPhoto:
    """The upload as a fresh JPEG at most MAX_SIDE pixels a side, turned upright, without any
    metadata. Raises NotAnImage for anything Pillow cannot read as an accepted image."""
    try:
        image = open_upload(raw)
    except UnreadableImage as error:
        raise NotAnImage(error.reason) from None
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image object carries no info dict: no exif=, icc_profile= or comment is written.
    Image.frombytes("RGB", upright.size, upright.tobytes()).save(
        out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return CleanPhoto(out.getvalue(), *upright.size)


def photo_of(appeal_id: int) -> AppealPhoto | None:
    return db.session.get(AppealPhoto, appeal_id)


def photo_by_file(file_name: str) -> AppealPhoto | None:
    if len(file_name) > 80:
        return None
    return db.session.scalar(db.select(AppealPhoto).where(AppealPhoto.file_name == file_name))


def save_public_page(appeal: Appeal, data: PublicPageInput) -> None:
    """Store the pitch, the goal, a new photo (when one is uploaded) and the photo's texts. Commits.

    The replaced photo file is removed after the commit (a failed commit leaves the old photo).
    """
    photo = photo_of(appeal.id)
    old_file = None
    if data.photo is not None:
        name = f"{secrets.token_urlsafe(18)}.jpg"
        (photo_dir() / name).write_bytes(data.photo.jpeg)
        if photo is None:
            photo = AppealPhoto(appeal_id=appeal.id)
            db.session.add(photo)
        else:
            old_file = photo.file_name
        photo.file_name, photo.width, photo.height = name, data.photo.width, data.photo.height
    if photo is not None:
        photo.alt, photo.credit = data.alt, data.credit or None
    appeal.pitch, appeal.signature_goal = data.pitch or None, data.goal or None
    appeal.updated_at = utcnow()  # the public page cache's key: show the new photo at once
    db.session.commit()
    if old_file:
        (photo_dir() / old_file).unlink(missing_ok=True)
