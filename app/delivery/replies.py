"""Officials' replies: a summary and a scan, checked by content and stored outside the web root."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Appeal, CaseEvent, OfficialReply, Post, User
from app.models.enums import EventKind

SCAN_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


class ScanRejected(ValueError):
    """The uploaded file is too large or is not a readable PDF, PNG or JPEG."""


@dataclass(frozen=True)
class Scan:
    data: bytes
    extension: str

    @property
    def content_type(self) -> str:
        return SCAN_TYPES[self.extension]


def read_scan(stream, max_bytes: int) -> Scan:  # noqa: ANN001
    """Read an upload and check it by its content (magic bytes, then a real parse)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ScanRejected(f"The file is larger than {human_size(max_bytes)}. Scan at a lower "
                           "resolution or in black and white.")
    if not data:
        raise ScanRejected("The file is empty.")
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return Scan(data, "pdf")
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return Scan(data, _check_image(data))
    raise ScanRejected("Only PDF, PNG or JPEG scans are accepted; this file is none of them.")


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n // 1024} KB" if n >= 1024 else f"{n} bytes"


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader

    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a usable PDF"
        raise ScanRejected("The file starts like a PDF but cannot be read as one.") from error
    if pages == 0:
        raise ScanRejected("The PDF has no pages.")


def _check_image(data: bytes) -> str:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except Exception as error:  # noqa: BLE001 - Pillow raises many types for broken files
        raise ScanRejected("The file starts like an image but cannot be read as one.") from error
    if kind not in ("PNG", "JPEG"):
        raise ScanRejected("Only PDF, PNG or JPEG scans are accepted.")
    return "png" if kind == "PNG" else "jpg"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "replies"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def record_reply(appeal: Appeal, user: User, *, post: Post | None, received_on: date,
                 summary: str, scan: Scan | None) -> OfficialReply:
    """Store a reply and its scan (under a random name in UPLOAD_DIR). Commits."""
    reply = OfficialReply(appeal_id=appeal.id, post_id=post.id if post else None,
                          received_on=received_on, summary=summary.strip(),
                          recorded_by_user_id=user.id)
    path = None
    if scan is not None:
        path = upload_dir() / f"{secrets.token_hex(16)}.{scan.extension}"
        path.write_bytes(scan.data)
        path.chmod(0o600)
        reply.scan_path, reply.scan_content_type = path.name, scan.content_type
        reply.scan_size = len(scan.data)
    db.session.add(reply)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        if path is not None:
            path.unlink(missing_ok=True)
        raise
    return reply


def scan_file(reply: OfficialReply) -> Path | None:
    """The stored scan, or None if there is none (or it is missing on disk)."""
    if not reply.scan_path or "/" in reply.scan_path or reply.scan_path.startswith("."):
        return None
    path = upload_dir() / reply.scan_path
    return path if path.is_file() else None


def download_name(reply: OfficialReply) -> str:
    """A safe name for the download, never the uploader's: reply-<id>-<date>.<ext>."""
    extension = {v: k for k, v in SCAN_TYPES.items()}.get(reply.scan_content_type or "", "bin")
    return f"reply-{reply.id}-{reply.received_on.isoformat()}.{extension}"


def replies_of(appeal: Appeal) -> list[OfficialReply]:
    return list(db.session.scalars(
        select(OfficialReply).where(OfficialReply.appeal_id == appeal.id)
        .order_by(OfficialReply.received_on.desc(), OfficialReply.id.desc())
    ))


def reply_to_event(reply: OfficialReply, *, public: bool = True) -> CaseEvent:
    """Put a reply on the case timeline ("reply received"), once. Commits."""
    if reply.event is not None:
        return reply.event
    who = reply.post.label if reply.post is not None else "an official"
    event = CaseEvent(appeal_id=reply.appeal_id, date=reply.received_on,
                      kind=EventKind.REPLY_RECEIVED, title=f"Reply received from {who}",
                      description=reply.summary, public=public)
    db.session.add(event)
    db.session.flush()
    reply.event_id = event.id
    db.session.commit()
    return event


def reply_of(appeal: Appeal, reply_id: int) -> OfficialReply | None:
    """Reply `reply_id` if it belongs to `appeal`."""
    return db.session.scalar(select(OfficialReply).where(
        OfficialReply.id == reply_id, OfficialReply.appeal_id == appeal.id))
