"""The files beside the database: appeal photos and scans of officials' replies (UPLOAD_DIR).

`flask backup PATH` writes them to `PATH.uploads.tar` next to the database copy, so one backup
holds everything a restored site needs; `flask restore PATH` puts them back. Link-preview cards
are left out: they are drawn again when missing. Organisation logos live in the database.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

from app.admin.backup import BackupError

SUFFIX = ".uploads.tar"
REDRAWN = ("previews",)


def archive_path(backup: Path) -> Path:
    return backup.with_name(backup.name + SUFFIX)


def backup_uploads(upload_dir: Path, backup: Path) -> int:
    """Write UPLOAD_DIR's files to the archive beside `backup`; how many (0: no archive).

    Written next to its final name and renamed into place, like the database copy. With no
    files, an archive left there by an earlier backup is removed: restoring this backup must
    not bring back another day's files.
    """
    target = archive_path(backup)
    files = [f for f in sorted(upload_dir.rglob("*")) if f.is_file()
             and f.relative_to(upload_dir).parts[0] not in REDRAWN] if upload_dir.is_dir() else []
    if not files:
        target.unlink(missing_ok=True)
        return 0
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w") as archive:
        for file in files:
            archive.add(file, arcname=file.relative_to(upload_dir).as_posix())
    os.replace(partial, target)
    return len(files)


def uploads_in(upload_dir: Path, backup: Path) -> list[tarfile.TarInfo] | None:
    """The files in the archive beside `backup` (None if there is none), each checked by the
    "data" filter (no absolute path, no `..`, no link or device: nothing lands outside
    UPLOAD_DIR). Called before the database is replaced, so a damaged or hostile archive stops
    the restore before anything changes."""
    path = archive_path(backup)
    if not path.is_file():
        return None
    try:
        with tarfile.open(path) as archive:
            members = archive.getmembers()
            for member in members:
                tarfile.data_filter(member, str(upload_dir))
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path}: not a usable uploads archive ({error})") from None
    return [member for member in members if member.isfile()]


def restore_uploads(upload_dir: Path, backup: Path, members: list[tarfile.TarInfo]) -> None:
    """Put the archive's files (as `uploads_in` listed them) back into UPLOAD_DIR; the "data"
    filter applies again while extracting."""
    upload_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tarfile.open(archive_path(backup)) as archive:
            archive.extractall(upload_dir, members=members, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{archive_path(backup)}: {error}") from None
